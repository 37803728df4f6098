package dev.cdp.ingestion;

import static dev.cdp.ingestion.RawTopic.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** /v1/batch is partial: valid messages are stored, invalid ones reported by pointer; none valid is a 400. */
@QuarkusTest
class BatchTest {

    @Test
    void storesTheValidMessagesAndNamesTheInvalidOnes() {
        String userId = "user-" + UUID.randomUUID();
        web().body("""
                {"context": {"app": {"name": "cdp-demo"}, "locale": "tr-TR"},
                 "batch": [
                   {"type": "identify", "userId": "%1$s", "traits": {"email": "ayse@example.com"}},
                   {"type": "track", "userId": "%1$s"},
                   {"type": "track", "userId": "%1$s", "event": "add_to_cart", "context": {"locale": "en-GB"}},
                   {"type": "purchase", "userId": "%1$s"},
                   {"type": "transaction", "userId": "%1$s", "transactionId": "T-%1$s", "transactionType": "FUEL",
                    "amount": "1250.40", "currency": "TRY", "storeId": "IST-007"}
                 ]}""".formatted(userId))
                .post("/v1/batch")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("accepted", equalTo(3))
                .body("rejected", equalTo(2))
                .body("errors.field", containsInAnyOrder("/batch/1/event", "/batch/3/type"));

        var events = RawTopic.awaitKey(userId, 3);
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly("identify", "track", "transaction");
        // The batch's context reaches every message; a message's own context fields win.
        assertThat(events.get(0).at("/payload/context/locale").asText()).isEqualTo("tr-TR");
        assertThat(events.get(1).at("/payload/context/locale").asText()).isEqualTo("en-GB");
        assertThat(events.get(1).at("/payload/context/app/name").asText()).isEqualTo("cdp-demo");
        assertThat(events.get(2).get("messageId").asText()).isEqualTo("transaction-T-" + userId);
    }

    @Test
    void aBatchWithoutAnyValidMessageIsABadRequest() {
        web().body("{\"batch\": [{\"type\": \"track\"}, {\"userId\": \"u\"}]}")
                .post("/v1/batch")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("/batch/0/userId", "/batch/0/event", "/batch/1/type"));
        web().body("{\"batch\": []}").post("/v1/batch").then().statusCode(400).body("violations[0].field", equalTo("/batch"));
        web().body("{\"messages\": []}").post("/v1/batch").then().statusCode(400).body("violations[0].field", equalTo("/batch"));
    }

    @Test
    void refusesABatchFollowedByMoreContentAndSendsNoneOfIt() {
        String userId = "user-" + UUID.randomUUID();
        String batch = "{\"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"e\"}]}".formatted(userId);
        web().body(batch + batch).post("/v1/batch").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("/"));
        web().body(batch + " garbage").post("/v1/batch").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:malformed-json"));
        assertThat(RawTopic.within(event -> userId.equals(event.path("userId").asText(null)), Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void rejectsAMessageOverThePerMessageLimitAlone() {
        String userId = "user-" + UUID.randomUUID();
        web().body("""
                {"batch": [{"type": "track", "userId": "%s", "event": "big", "properties": {"p": "%s"}},
                           {"type": "track", "userId": "%s", "event": "small"}]}"""
                .formatted(userId, "x".repeat(33 * 1024), userId))
                .post("/v1/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors.field", contains("/batch/0"));
        JsonNode stored = RawTopic.awaitKey(userId, 1).get(0);
        assertThat(stored.at("/payload/event").asText()).isEqualTo("small");
    }

    @Test
    void refusesABatchOverTheCountOrSizeLimit() {
        String tooMany = IntStream.range(0, 2501).mapToObj(i -> "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}")
                .collect(Collectors.joining(",", "{\"batch\": [", "]}"));
        web().body(tooMany).post("/v1/batch").then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", equalTo("A batch may hold at most 2500 messages"));

        String tooBig = IntStream.range(0, 20).mapToObj(i -> "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + "e".repeat(30_000) + "\"}")
                .collect(Collectors.joining(",", "{\"batch\": [", "]}"));
        web().body(tooBig).post("/v1/batch").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:too-large"));
    }

    @Test
    void takesTheWriteKeyFromTheBody() {
        String userId = "user-" + UUID.randomUUID();
        io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"writeKey\": \"wk_pos_dev\", \"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"e\"}]}".formatted(userId))
                .post("/v1/batch")
                .then().statusCode(200).body("errors", hasSize(0));
        assertThat(RawTopic.awaitKey(userId, 1).get(0).get("source").asText()).isEqualTo("pos");
    }
}
