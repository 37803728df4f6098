package dev.cdp.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/**
 * What every service exposes to operators: health, Prometheus metrics, the OpenAPI document and Swagger UI. A
 * service's test extends this with {@code @QuarkusTest}.
 */
public abstract class StandardEndpointsTest {

    /** A path of this service's own API that its OpenAPI document must describe. */
    protected abstract String documentedPath();

    @Test
    void isLiveAndReadyWithItsDependenciesUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void documentsItsApiInOpenApiAndSwaggerUi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString(documentedPath()));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
