package dev.cdp.ingestion;

import static dev.cdp.ingestion.RawTopic.web;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With Kafka out of reach nothing is claimed: 503 with Retry-After, and readiness fails. */
@QuarkusTest
@TestProfile(KafkaDownTest.UnreachableKafka.class)
class KafkaDownTest {

    /** Port 9 (discard) on loopback: nothing listens there. */
    public static class UnreachableKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:9");
        }
    }

    @Test
    void answers503WithRetryAfterForEveryEndpoint() {
        web().body("{\"userId\": \"u\", \"event\": \"e\"}").post("/v1/track")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "10")
                .body("type", equalTo("urn:cdp:problem:storage-unavailable"));
        web().body("{\"batch\": [{\"type\": \"identify\", \"userId\": \"u\"}]}").post("/v1/batch")
                .then().statusCode(503).header("Retry-After", "10");
        web().contentType("application/x-ndjson")
                .body("{\"customer_id\": \"u\", \"event\": \"e\"}\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/import?kind=interactions")
                .then().statusCode(503).header("Retry-After", "10")
                .contentType("application/problem+json");
    }

    @Test
    void isNotReady() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
