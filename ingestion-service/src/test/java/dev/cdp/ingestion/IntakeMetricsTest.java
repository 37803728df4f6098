package dev.cdp.ingestion;

import static dev.cdp.ingestion.RawTopic.web;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Operators see accepted and rejected messages per source and type, and request sizes, in /q/metrics. */
@QuarkusTest
class IntakeMetricsTest {

    @Test
    void countsMessagesBySourceTypeAndOutcome() {
        double acceptedBefore = metric("cdp_ingestion_messages_total", "outcome=\"accepted\",source=\"web\",type=\"page\"");
        double rejectedBefore = metric("cdp_ingestion_messages_total", "outcome=\"rejected\",source=\"web\",type=\"page\"");

        web().body("{\"userId\": \"u\", \"name\": \"Home\"}").post("/v1/page").then().statusCode(200);
        web().body("{\"userId\": \"u\", \"name\": \"Home\"}").post("/v1/page").then().statusCode(200);
        web().body("{\"name\": \"Home\"}").post("/v1/page").then().statusCode(400);

        assertThat(metric("cdp_ingestion_messages_total", "outcome=\"accepted\",source=\"web\",type=\"page\"")).isEqualTo(acceptedBefore + 2);
        assertThat(metric("cdp_ingestion_messages_total", "outcome=\"rejected\",source=\"web\",type=\"page\"")).isEqualTo(rejectedBefore + 1);
        assertThat(metric("cdp_ingestion_request_bytes_count", "endpoint=\"page\"")).isGreaterThanOrEqualTo(3);
    }

    /** The value of one Prometheus series, 0 when it does not exist yet. */
    private static double metric(String name, String labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("^" + Pattern.quote(name + "{" + labels) + "[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
