package dev.cdp.ingestion;

import static dev.cdp.ingestion.RawTopic.web;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The single-message Segment calls: what reaches cdp.events.raw, and every way a call is refused. */
@QuarkusTest
class TrackingResourceTest {

    @Test
    void publishesAnAcceptedTrackCallKeyedByUser() {
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

        JsonNode event = RawTopic.awaitKey(userId, 1).get(0);
        assertThat(event.get("messageId").asText()).isEqualTo(messageId);
        assertThat(event.get("source").asText()).isEqualTo("web");
        assertThat(event.get("type").asText()).isEqualTo("track");
        assertThat(event.get("userId").asText()).isEqualTo(userId);
        assertThat(event.get("anonymousId").asText()).isEqualTo("anon-1");
        assertThat(event.get("occurredAt").asText()).isEqualTo("2026-11-26T07:15:30Z");
        assertThat(Instant.parse(event.get("receivedAt").asText())).isBefore(Instant.now());
        assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(event.at("/payload/event").asText()).isEqualTo("product_view");
        // The payload is kept as sent: the price keeps its exact decimal digits.
        assertThat(event.at("/payload/properties/price").decimalValue().toPlainString()).isEqualTo("19.90");
    }

    @Test
    void publishesEverySegmentCallWithItsType() {
        String userId = "user-" + UUID.randomUUID();
        web().body("{\"userId\": \"%s\", \"traits\": {\"email\": \"a@b.co\"}}".formatted(userId)).post("/v1/identify").then().statusCode(200);
        web().body("{\"userId\": \"%s\", \"name\": \"Fuel prices\"}".formatted(userId)).post("/v1/page").then().statusCode(200);
        web().body("{\"userId\": \"%s\", \"name\": \"Wallet\"}".formatted(userId)).post("/v1/screen").then().statusCode(200);
        web().body("{\"userId\": \"%s\", \"groupId\": \"fleet-42\"}".formatted(userId)).post("/v1/group").then().statusCode(200);
        web().body("{\"userId\": \"%s\", \"previousId\": \"anon-9\"}".formatted(userId)).post("/v1/alias").then().statusCode(200);

        assertThat(RawTopic.awaitKey(userId, 5)).extracting(event -> event.get("type").asText())
                .containsExactly("identify", "page", "screen", "group", "alias");
    }

    @Test
    void correctsTheDeviceClockWithSentAt() {
        String userId = "user-" + UUID.randomUUID();
        // The device's clock is 1 hour ahead: it says it sent the event 10 s after it happened.
        Instant deviceNow = Instant.now().plus(Duration.ofHours(1));
        web().body("""
                {"userId": "%s", "event": "app_open", "originalTimestamp": "%s", "sentAt": "%s"}"""
                .formatted(userId, deviceNow.minusSeconds(10), deviceNow))
                .post("/v1/track").then().statusCode(200);

        JsonNode event = RawTopic.awaitKey(userId, 1).get(0);
        Instant occurredAt = Instant.parse(event.get("occurredAt").asText());
        Instant receivedAt = Instant.parse(event.get("receivedAt").asText());
        assertThat(Duration.between(occurredAt, receivedAt)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesTimesOutsideTheYearsEveryStoreHolds() {
        String userId = "user-" + UUID.randomUUID();
        web().body("{\"userId\": \"%s\", \"event\": \"e\", \"timestamp\": \"+999999999-12-31T23:59:59Z\"}".formatted(userId))
                .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("/timestamp"));
        // both in range, but a clock correction by ten thousand years would leave them: named, not a 500
        web().body("{\"userId\": \"%s\", \"event\": \"e\", \"originalTimestamp\": \"0001-01-01T00:00:00Z\", \"sentAt\": \"9999-12-31T23:59:59Z\"}"
                        .formatted(userId))
                .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("/sentAt"));
        assertThat(RawTopic.within(event -> userId.equals(event.path("userId").asText(null)), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void acceptsTheWriteKeyInTheBodyAndKeysAnonymousVisitorsByAnonymousId() {
        String anonymousId = "anon-" + UUID.randomUUID();

        given().contentType("application/json")
                .body("{\"writeKey\": \"wk_app_dev\", \"anonymousId\": \"%s\", \"event\": \"app_open\"}".formatted(anonymousId))
                .post("/v1/track")
                .then().statusCode(200).body("messageId", notNullValue());

        assertThat(RawTopic.awaitKey(anonymousId, 1).get(0).get("source").asText()).isEqualTo("app");
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
                .post("/v1/identify")
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

        assertThat(RawTopic.within(event -> messageId.equals(event.path("messageId").asText()), Duration.ofSeconds(3)))
                .as("nothing is published for a rejected message").isEmpty();
    }

    @Test
    void namesEachFieldOfTheWrongTypeOrFormat() {
        web().body("""
                {"userId": {"id": 1}, "event": 42, "properties": [1, 2], "timestamp": "yesterday", "messageId": ""}""")
                .post("/v1/track")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.find { it.field == '/userId' }.detail", equalTo("must be a string"))
                .body("violations.find { it.field == '/event' }.detail", equalTo("must be a string"))
                .body("violations.find { it.field == '/properties' }.detail", equalTo("must be a JSON object"))
                .body("violations.find { it.field == '/messageId' }.detail", equalTo("must not be blank"))
                .body("violations.find { it.field == '/timestamp' }.detail", startsWith("must be an ISO-8601 date-time"));
    }

    @Test
    void checksTheFieldsEachCallRequires() {
        web().body("{\"userId\": \"u\"}").post("/v1/group").then().statusCode(400)
                .body("violations.field", hasItems("/groupId"));
        web().body("{\"anonymousId\": \"a\"}").post("/v1/alias").then().statusCode(400)
                .body("violations.field", hasItems("/userId", "/previousId"));
        web().body("{\"userId\": \"u\", \"type\": \"identify\", \"event\": \"e\"}").post("/v1/track").then().statusCode(400)
                .body("violations[0].field", equalTo("/type"))
                .body("violations[0].detail", equalTo("must be \"track\" on this endpoint"));
        web().body("[]").post("/v1/identify").then().statusCode(400)
                .body("violations[0].field", equalTo("/"))
                .body("violations[0].detail", equalTo("must be a JSON object"));
        web().body("{\"userId\": \"%s\"}".formatted("x".repeat(256))).post("/v1/identify").then().statusCode(400)
                .body("violations[0].detail", equalTo("must be at most 255 characters"));
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
                .body("type", equalTo("urn:cdp:problem:too-large"));
    }

    @Test
    void rejectsAContentTypeOtherThanJson() {
        web().contentType("text/csv").body("userId,event\nu,e")
                .post("/v1/track")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:unsupported-media-type"));
    }

    @Test
    void dropsAUtf8ByteOrderMarkAndPublishesTheMessageAsUtf8Json() {
        String userId = "bom-" + UUID.randomUUID();
        byte[] json = "{\"userId\": \"%s\", \"event\": \"fuel_price_view\"}".formatted(userId).getBytes(StandardCharsets.UTF_8);
        byte[] withMark = new byte[json.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withMark, 3, json.length);
        web().body(withMark).post("/v1/track").then().statusCode(200);
        byte[] batch = ("{\"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"fuel_price_view\"}]}").formatted(userId)
                .getBytes(StandardCharsets.UTF_8);
        byte[] batchWithMark = new byte[batch.length + 3];
        System.arraycopy(withMark, 0, batchWithMark, 0, 3);
        System.arraycopy(batch, 0, batchWithMark, 3, batch.length);
        web().body(batchWithMark).post("/v1/batch").then().statusCode(200);

        // profile-service reads the record as UTF-8 JSON: parsed here the same way
        assertThat(RawTopic.awaitKey(userId, 2)).extracting(event -> event.at("/payload/event").asText())
                .containsExactly("fuel_price_view", "fuel_price_view");
    }

    @Test
    void refusesUtf16AndUtf32BodiesRatherThanLosingThemDownstream() {
        String userId = "utf16-" + UUID.randomUUID();
        String track = "{\"userId\": \"%s\", \"event\": \"e\"}".formatted(userId);
        for (Charset charset : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, Charset.forName("UTF-32"))) {
            web().body(track.getBytes(charset)).post("/v1/track").then().statusCode(415)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:cdp:problem:unsupported-encoding"))
                    .body("detail", containsString("UTF-8"));
            web().body(("{\"batch\": [" + track + "]}").getBytes(charset)).post("/v1/batch").then().statusCode(415)
                    .body("type", equalTo("urn:cdp:problem:unsupported-encoding"));
        }
        assertThat(RawTopic.within(event -> userId.equals(event.path("_key").asText()), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void refusesProfileFieldsLongerThanTheProfileKeepsRatherThanLosingTheMessageDownstream() {
        String userId = "long-" + UUID.randomUUID();
        String long9000 = "k".repeat(9000); // a message far under the 32 KB limit, but no index entry holds it
        web().body("""
                {"userId": "%s", "traits": {"loyaltyCard": "%s", "address": {"city": "%s"}, "segment": "%s"},
                 "context": {"traits": {"state": "%s"}}}""".formatted(userId, long9000, long9000, "s".repeat(256), long9000))
                .post("/v1/identify").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("/traits/loyaltyCard", "/traits/address/city", "/traits/segment",
                        "/context/traits/state"))
                .body("violations.detail", everyItem(equalTo("must be at most 255 characters")));
        web().body("""
                {"userId": "%s", "event": "e", "context": {"campaign": {"name": "%s"}}}""".formatted(userId, long9000))
                .post("/v1/track").then().statusCode(400).body("violations.field", contains("/context/campaign/name"));
        web().body("""
                {"userId": "%s", "traits": {"city": "%s", "segment": "premium"}}""".formatted(userId, "c".repeat(255)))
                .post("/v1/identify").then().statusCode(200);

        assertThat(RawTopic.awaitKey(userId, 1)).extracting(event -> event.at("/payload/traits/segment").asText()).containsExactly("premium");
    }
}
