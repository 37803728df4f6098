package dev.cdp.segment;

import static dev.cdp.segment.ProfileFixture.AYSE;
import static dev.cdp.segment.ProfileFixture.MEHMET;
import static dev.cdp.segment.ProfileFixture.NOW;
import static dev.cdp.segment.ProfileFixture.ZEYNEP;
import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Membership messages after a full evaluation, and a changed profile entering and leaving segments in real time. */
@QuarkusTest
class RealTimeMembershipTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void loadProfiles() throws Exception {
        ProfileFixture.load();
    }

    @Test
    void publishesWhoEnteredAndFollowsAChangedProfile() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"App users " + UUID.randomUUID() + "\", \"definition\": {\"type\": \"event\", \"event\": \"app_open\", \"operator\": \"gte\", \"value\": 1}}")
                .post("/segments").then().statusCode(201).extract().path("id");
        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(2));
        assertThat(changes(id, "ENTERED", 2)).containsExactlyInAnyOrder(AYSE.toString(), MEHMET.toString());

        try {
            change("INSERT INTO profile.interactions (customer_id, raw_event_id, event_name, source, occurred_at) VALUES ('"
                    + ZEYNEP + "', 9001, 'app_open', 'test', now())");
            change("INSERT INTO profile.customer_event_counts VALUES ('" + ZEYNEP + "', 'app_open', 1, now(), now())");
            profileChanged(ZEYNEP);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/profiles/{customerId}/segments", ZEYNEP)
                    .then().body("segmentId", hasItem(id)));
            assertThat(changes(id, "ENTERED", 3)).contains(ZEYNEP.toString());
            given().get("/segments/{id}", id).then().body("size", equalTo(3));
        } finally {
            change("DELETE FROM profile.interactions WHERE raw_event_id = 9001");
            change("DELETE FROM profile.customer_event_counts WHERE customer_id = '" + ZEYNEP + "'");
        }
        profileChanged(ZEYNEP);
        assertThat(changes(id, "EXITED", 1)).containsExactly(ZEYNEP.toString());
        given().get("/segments/{id}", id).then().body("size", equalTo(2));
        given().get("/segments/{id}/history", id).then().body("size()", equalTo(1));
    }

    @Test
    void deadLettersARecordThatIsNotAProfileChangeAndGoesOnWithItsNeighbours() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"Card payers " + UUID.randomUUID() + "\", \"definition\": {\"type\": \"event\", \"event\": \"card_payment\", \"operator\": \"gte\", \"value\": 1}}")
                .post("/segments").then().statusCode(201).extract().path("id");
        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(0));
        String poison = "{\"customerId\": \"not-a-uuid-" + UUID.randomUUID() + "\"}";
        try {
            change("INSERT INTO profile.interactions (customer_id, raw_event_id, event_name, source, occurred_at) VALUES ('"
                    + MEHMET + "', 9002, 'card_payment', 'test', now())");
            change("INSERT INTO profile.customer_event_counts VALUES ('" + MEHMET + "', 'card_payment', 1, now(), now())");
            // the same key as the change after it: the same partition, read in this order
            KafkaTestClient.send(Topics.PROFILES_CHANGED, MEHMET.toString(), poison);
            profileChanged(MEHMET);

            assertThat(KafkaTestClient.awaitDeadLetter(Topics.PROFILES_CHANGED, poison))
                    .startsWith("segment-service: not a profile change").contains("not-a-uuid");
            assertThat(changes(id, "ENTERED", 1)).containsExactly(MEHMET.toString());
        } finally {
            change("DELETE FROM profile.interactions WHERE raw_event_id = 9002");
            change("DELETE FROM profile.customer_event_counts WHERE customer_id = '" + MEHMET + "' AND event_name = 'card_payment'");
        }
    }

    @Test
    void reEvaluatesWhileOtherClientsCreateAndDeleteSegments() throws Exception {
        List<String> created = new CopyOnWriteArrayList<>();
        ExecutorService others = Executors.newSingleThreadExecutor();
        Future<?> churn = others.submit(() -> {
            for (int i = 0; i < 30; i++) {
                String id = given().contentType(ContentType.JSON)
                        .body("{\"name\": \"Churn " + UUID.randomUUID() + "\", \"definition\": {\"type\": \"event\", \"event\": \"app_open\", \"operator\": \"gte\", \"value\": 1}}")
                        .post("/segments").then().statusCode(201).extract().path("id");
                created.add(id);
                given().post("/segments/{id}/refresh", id).then().statusCode(200);
                given().delete("/segments/{id}", id).then().statusCode(204);
            }
        });
        try {
            // a segment evaluated, then deleted while this customer is re-evaluated against it: never a 5xx
            while (!churn.isDone()) {
                given().post("/profiles/{customerId}/segments/refresh", AYSE).then().statusCode(200);
            }
            churn.get();
        } finally {
            others.shutdownNow();
        }
        assertThat(created).hasSize(30);
        given().get("/profiles/{customerId}/segments", AYSE).then().statusCode(200);
    }

    private static void profileChanged(UUID customer) {
        KafkaTestClient.send(Topics.PROFILES_CHANGED, customer.toString(), "{\"messageId\": \"" + UUID.randomUUID() + "\", \"customerId\": \""
                + customer + "\", \"changes\": [\"interaction\"], \"mergedFrom\": [], \"occurredAt\": \"" + NOW + "\", \"schemaVersion\": 1}");
    }

    /** The customers of {@code count} membership messages of the segment with the given change. */
    private static List<String> changes(String segmentId, String change, int count) {
        List<ConsumerRecord<String, String>> records = KafkaTestClient.awaitRecords(Topics.SEGMENTS_MEMBERSHIP,
                record -> record.value().contains(segmentId) && record.value().contains("\"" + change + "\""), count, Duration.ofSeconds(20));
        return records.stream().map(record -> {
            JsonNode message = read(record.value());
            assertThat(message.path("definitionVersion").asInt()).isEqualTo(1);
            assertThat(record.key()).isEqualTo(message.path("customerId").asText());
            return message.path("customerId").asText();
        }).toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void change(String sql) throws Exception {
        try (Connection db = TestDatabase.admin(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }
}
