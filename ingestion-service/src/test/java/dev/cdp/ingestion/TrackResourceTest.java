package dev.cdp.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TrackResourceTest {

    private static final String WEB_KEY = "wk_web_dev";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void publishesAnAcceptedTrackCallKeyedByUser() throws Exception {
        String userId = "user-" + UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();

        web().body("""
                {"userId": "%s", "anonymousId": "anon-1", "event": "product_view", "messageId": "%s",
                 "timestamp": "2026-11-26T10:15:30+03:00", "properties": {"sku": "A-1", "price": 19.90}}
                """.formatted(userId, messageId))
                .post("/v1/track")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("messageId", equalTo(messageId));

        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecords(Topics.EVENTS_RAW,
                r -> userId.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
        JsonNode event = JSON.readTree(record.value());
        assertThat(event.get("messageId").asText()).isEqualTo(messageId);
        assertThat(event.get("source").asText()).isEqualTo("web");
        assertThat(event.get("type").asText()).isEqualTo("track");
        assertThat(event.get("userId").asText()).isEqualTo(userId);
        assertThat(event.get("anonymousId").asText()).isEqualTo("anon-1");
        assertThat(event.get("occurredAt").asText()).isEqualTo("2026-11-26T07:15:30Z");
        assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(event.at("/payload/event").asText()).isEqualTo("product_view");
        // The payload is kept as sent: the price keeps its exact decimal digits.
        assertThat(event.at("/payload/properties/price").decimalValue()).isEqualByComparingTo("19.90");
    }

    @Test
    void acceptsTheWriteKeyInTheBodyAndKeysAnonymousVisitorsByAnonymousId() {
        String anonymousId = "anon-" + UUID.randomUUID();

        given().contentType("application/json")
                .body("""
                        {"writeKey": "wk_app_dev", "anonymousId": "%s", "event": "app_open"}""".formatted(anonymousId))
                .post("/v1/track")
                .then().statusCode(200).body("messageId", notNullValue());

        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecords(Topics.EVENTS_RAW,
                r -> anonymousId.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
        assertThat(record.value()).contains("\"source\":\"app\"");
    }

    @Test
    void rejectsAMissingOrUnknownWriteKey() {
        given().contentType("application/json").body("{\"userId\": \"u\", \"event\": \"e\"}")
                .post("/v1/track")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:unauthorized"))
                .body("detail", containsString("write key is required"));

        given().auth().preemptive().basic("not-a-key", "")
                .contentType("application/json").body("{\"userId\": \"u\", \"event\": \"e\"}")
                .post("/v1/track")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("The write key is not valid"));
    }

    @Test
    void namesTheMissingIdentityAndEventAndPublishesNothing() {
        String messageId = UUID.randomUUID().toString();

        web().body("{\"messageId\": \"%s\", \"properties\": {}}".formatted(messageId))
                .post("/v1/track")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:invalid-request"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/v1/track"))
                .body("violations.field", hasItems("/userId", "/event"));

        assertThat(KafkaTestClient.recordsWithin(Topics.EVENTS_RAW, r -> r.value().contains(messageId), Duration.ofSeconds(3)))
                .as("nothing is published for a rejected message").isEmpty();
    }

    @Test
    void namesEachFieldOfTheWrongTypeOrFormat() {
        web().body("""
                {"userId": {"id": 1}, "event": 42, "properties": [1, 2], "timestamp": "yesterday"}""")
                .post("/v1/track")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.find { it.field == '/userId' }.detail", equalTo("must be a string"))
                .body("violations.find { it.field == '/event' }.detail", equalTo("must be a string"))
                .body("violations.find { it.field == '/properties' }.detail", equalTo("must be a JSON object"))
                .body("violations.find { it.field == '/timestamp' }.detail", startsWith("must be an ISO-8601 date-time"));
    }

    @Test
    void rejectsMalformedJson() {
        web().body("{\"userId\": \"u\", \"event\": ")
                .post("/v1/track")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:malformed-json"))
                .body("detail", startsWith("The body is not valid JSON at line 1"));
    }

    @Test
    void rejectsAMessageOverTheSizeLimit() {
        String padding = "x".repeat(33 * 1024);
        web().body("{\"userId\": \"u\", \"event\": \"e\", \"properties\": {\"p\": \"%s\"}}".formatted(padding))
                .post("/v1/track")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:message-too-large"));
    }

    @Test
    void rejectsAContentTypeOtherThanJson() {
        given().auth().preemptive().basic(WEB_KEY, "")
                .contentType("text/plain").body("userId=u&event=e")
                .post("/v1/track")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:unsupported-media-type"));
    }

    private static RequestSpecification web() {
        return given().auth().preemptive().basic(WEB_KEY, "").contentType("application/json");
    }
}
