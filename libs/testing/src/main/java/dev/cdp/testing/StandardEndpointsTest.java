package dev.cdp.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every service exposes to operators (health, Prometheus metrics, the OpenAPI document and Swagger UI) and how
 * every service treats a body that is more than one JSON document. A service's test extends this with
 * {@code @QuarkusTest}.
 */
public abstract class StandardEndpointsTest {

    /** A path of this service's own API that its OpenAPI document must describe. */
    protected abstract String documentedPath();

    /** A path of this service's API that takes a JSON object in a POST. */
    protected abstract String jsonEndpoint();

    /** A request allowed to call {@link #jsonEndpoint()}: the all-access user unless the service says otherwise. */
    protected RequestSpecification caller() {
        return Api.given();
    }

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

    @Test
    void refusesContentAfterTheJsonBodyRatherThanDroppingIt() {
        for (String body : List.of("{} {}", "{}\n{\"second\": true}", "{} garbage")) {
            caller().contentType("application/json").body(body).post(jsonEndpoint())
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", startsWith("urn:cdp:problem:"));
        }
    }

    @Test
    void refusesABodyOverTheSizeLimitWithAProblem() {
        String body = "{\"padding\": \"" + "x".repeat(300 * 1024) + "\"}"; // over every service's limit (256 KB for management APIs)
        caller().contentType("application/json").body(body).post(jsonEndpoint())
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:too-large"));
    }

    @Test
    void refusesAParameterLongerThanAnyIdentifierWithAProblemNamingIt() {
        // a 10 KB request line: read by every service (up to 16 KB), so the parameter is named, not cut off by the HTTP layer
        caller().contentType("application/json").body("{}").queryParam("probe", "x".repeat(10_000)).post(jsonEndpoint())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("probe"))
                .body("violations[0].detail", equalTo("must be at most 2000 characters"));
    }
}
