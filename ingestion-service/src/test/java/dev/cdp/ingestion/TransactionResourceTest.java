package dev.cdp.ingestion;

import static dev.cdp.ingestion.RawTopic.pos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POS transactions: amounts stay exact decimals, a resent transaction keeps its message id, bad ones are named. */
@QuarkusTest
class TransactionResourceTest {

    @Test
    void publishesATransactionWithItsExactAmountAndAStableMessageId() {
        String userId = "user-" + UUID.randomUUID();
        String transactionId = "T-" + UUID.randomUUID();
        String body = """
                {"transactionId": "%s", "userId": "%s", "transactionType": "MARKET", "amount": 125.50, "currency": "TRY",
                 "storeId": "ANK-003", "timestamp": "2026-11-25T18:40:00+03:00",
                 "items": [{"sku": "WATER-1L", "name": "Su", "quantity": 2, "unitPrice": 12.75}]}""".formatted(transactionId, userId);

        pos().body(body).post("/v1/transactions").then().statusCode(200).body("accepted", equalTo(1));
        pos().body(body).post("/v1/transactions").then().statusCode(200).body("accepted", equalTo(1));

        var events = RawTopic.awaitKey(userId, 2);
        JsonNode event = events.get(0);
        assertThat(event.get("type").asText()).isEqualTo("transaction");
        assertThat(event.get("source").asText()).isEqualTo("pos");
        assertThat(event.get("occurredAt").asText()).isEqualTo("2026-11-25T15:40:00Z");
        assertThat(event.at("/payload/amount").decimalValue().toPlainString()).isEqualTo("125.50");
        assertThat(event.at("/payload/items/0/unitPrice").decimalValue().toPlainString()).isEqualTo("12.75");
        // Sent twice, the same message id both times: profile-service stores it once.
        assertThat(events).extracting(e -> e.get("messageId").asText()).containsOnly("transaction-" + transactionId);
    }

    @Test
    void keysATransactionKnownOnlyByEmailByThatEmail() {
        String local = "Mehmet." + UUID.randomUUID();
        pos().body("""
                {"transactionId": "T-%s", "email": " %s@Example.COM ", "transactionType": "FUEL", "amount": "900", "currency": "TRY"}"""
                .formatted(UUID.randomUUID(), local))
                .post("/v1/transactions").then().statusCode(200);

        RawTopic.awaitKey("email:" + local.toLowerCase() + "@example.com", 1);
    }

    @Test
    void storesTheValidTransactionsOfAnArrayAndNamesEachBadField() {
        String userId = "user-" + UUID.randomUUID();
        pos().body("""
                [{"transactionId": "T1-%1$s", "userId": "%1$s", "transactionType": "PURCHASE", "amount": "10.00", "currency": "TRY"},
                 {"transactionId": "T2-%1$s", "userId": "%1$s", "transactionType": "CAR_WASH", "amount": -5, "currency": "TL"},
                 {"userId": "%1$s", "transactionType": "FUEL", "amount": "ten", "currency": "TRY", "items": [{"quantity": 0}]},
                 {"transactionId": "T4-%1$s", "transactionType": "FUEL", "amount": 1, "currency": "TRY"}]""".formatted(userId))
                .post("/v1/transactions")
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(3))
                .body("errors.field", containsInAnyOrder("/1/transactionType", "/1/amount", "/1/currency",
                        "/2/transactionId", "/2/amount", "/2/items/0/quantity", "/3/userId"))
                .body("errors.find { it.field == '/1/amount' }.detail", equalTo("must not be negative"))
                .body("errors.find { it.field == '/2/amount' }.detail", equalTo("must be a decimal number, such as 125.50"));

        assertThat(RawTopic.awaitKey(userId, 1).get(0).at("/payload/transactionId").asText()).isEqualTo("T1-" + userId);
    }

    @Test
    void aSingleInvalidTransactionIsABadRequest() {
        pos().body("{\"transactionId\": \"T\", \"userId\": \"u\", \"amount\": 5}")
                .post("/v1/transactions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("/transactionType", "/currency"));
    }

    @Test
    void refusesAnAmountWithMoreDecimalsThanAreStoredAndTakesTrailingZeros() {
        String userId = "u-" + UUID.randomUUID();
        pos().body("""
                [{"transactionId": "T1-%1$s", "userId": "%1$s", "transactionType": "fuel", "amount": 1.23456, "currency": "TRY"},
                 {"transactionId": "T2-%1$s", "userId": "%1$s", "transactionType": "fuel", "amount": "1.2300000", "currency": "try"}]"""
                .formatted(userId))
                .post("/v1/transactions")
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors[0].field", equalTo("/0/amount"))
                .body("errors[0].detail", equalTo("must have at most 4 decimal places"));
        assertThat(RawTopic.awaitKey(userId, 1).get(0).at("/payload/transactionId").asText()).isEqualTo("T2-" + userId);
    }

    @Test
    void refusesATransactionNoIdentifierOfWhichProfileServiceCouldMatchAndKeysPhonesInE164() {
        String run = UUID.randomUUID().toString();
        pos().body("""
                [{"transactionId": "T1-%1$s", "email": "not-an-email", "transactionType": "FUEL", "amount": 10, "currency": "TRY"},
                 {"transactionId": "T2-%1$s", "phone": "123", "transactionType": "FUEL", "amount": 10, "currency": "TRY"},
                 {"transactionId": "T3-%1$s", "email": "not-an-email", "loyaltyCard": "LC-%1$s", "transactionType": "FUEL", "amount": 10, "currency": "TRY"},
                 {"transactionId": "T4-%1$s", "phone": "0532 %2$s", "transactionType": "FUEL", "amount": 10, "currency": "TRY"}]"""
                .formatted(run, "111 22 33"))
                .post("/v1/transactions")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("errors.field", containsInAnyOrder("/0/email", "/1/phone"));
        assertThat(RawTopic.awaitKey("loyaltyCard:LC-" + run, 1)).hasSize(1);
        assertThat(RawTopic.await(record -> record.path("messageId").asText().equals("transaction-T4-" + run), 1).get(0).get("_key").asText())
                .as("a phone keys in the form profile-service matches it by").isEqualTo("phone:+905321112233");
    }

    @Test
    void refusesTextTheStoreCannotHoldNamingWhereItIs() {
        pos().body("""
                {"transactionId": "T-nul", "userId": "u-nul", "transactionType": "FUEL", "amount": 10, "currency": "TRY",
                 "items": [{"sku": "A\\u0000B", "name": "half \\ud800 a pair"}], "properties": {"a\\u0000b": 1}}""")
                .post("/v1/transactions")
                .then().statusCode(400)
                .body("violations.field", containsInAnyOrder("/items/0/sku", "/items/0/name", "/properties"));
    }
}
