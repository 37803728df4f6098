package dev.cdp.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the libraries load before they send, and the paths of their odd corners. */
@QuarkusTest
class SdkSettingsTest {

    @Test
    void answersSegmentsSettingsWithThisServiceAsTheHostToSendTo() {
        given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "collect.shop.example")
                .get("/v1/projects/wk_web_dev/settings")
                .then().statusCode(200)
                .body("integrations.'Segment.io'.apiKey", equalTo("wk_web_dev"))
                .body("integrations.'Segment.io'.apiHost", equalTo("collect.shop.example/v1"))
                .body("integrations.'Segment.io'.protocol", equalTo("https"))
                .body("metrics.sampleRate", equalTo(0));
        given().get("/v1/projects/wk_web_dev/settings").then().statusCode(200)
                .body("integrations.'Segment.io'.apiHost", endsWith("/v1"))
                .body("integrations.'Segment.io'.protocol", equalTo("http"));
        given().get("/v1/projects/nobody/settings").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void answersRudderStacksSourceConfigForItsWriteKey() {
        given().auth().preemptive().basic("wk_web_dev", "").queryParam("p", "npm").queryParam("writeKey", "wk_web_dev")
                .get("/sourceConfig/")
                .then().statusCode(200)
                .body("source.id", equalTo("web"))
                .body("source.enabled", equalTo(true))
                .body("source.destinations.size()", equalTo(0));
        given().queryParam("writeKey", "nope").get("/sourceConfig").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void takesAJsonBatchOnSegmentsImportPathAndDropsAnalyticsJsTelemetry() {
        String userId = "user-" + UUID.randomUUID();
        given().contentType("application/json; charset=UTF-8")
                .body("{\"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"Order Completed\"}], \"writeKey\": \"wk_pos_dev\"}".formatted(userId))
                .post("/v1/import/")
                .then().statusCode(200).body("accepted", equalTo(1));
        assertThat(RawTopic.awaitKey(userId, 1).get(0).get("source").asText()).isEqualTo("pos");
        given().contentType("text/plain").body("{\"series\": []}").post("/v1/m").then().statusCode(204);
    }
}
