package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import net.jpountz.lz4.LZ4Factory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What arrives on the real cdp.events.raw topic ends up in the profile store, once. */
@QuarkusTest
class RawEventConsumerTest {

    @Inject
    ObjectMapper json;

    @Test
    void storesATrackCallAsACustomerWithTheInteraction() throws Exception {
        String userId = "user-" + UUID.randomUUID();
        String anonymousId = "anon-" + UUID.randomUUID();
        send(track(UUID.randomUUID().toString(), userId, anonymousId, "add_to_cart", "2026-11-20T09:00:00Z"));

        String customerId = awaitCustomer("userId", userId);

        given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("identities.type", containsInAnyOrder("userId", "anonymousId"))
                .body("identities.value", containsInAnyOrder(userId, anonymousId));
        given().get("/profiles/lookup?anonymousId={id}", anonymousId).then().statusCode(200)
                .body("customerId", equalTo(customerId));
        given().get("/profiles/{id}/interactions", customerId).then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].type", equalTo("track"))
                .body("items[0].event", equalTo("add_to_cart"))
                .body("items[0].source", equalTo("web"))
                .body("items[0].occurredAt", equalTo("2026-11-20T09:00:00Z"))
                .body("items[0].properties.sku", equalTo("A-1"));
    }

    @Test
    void compressesAndDecompressesRecordsWithTheNativeLz4Codec() {
        // Under Quarkus' class loader lz4-java would pick its pure-Java codec (12% of the service's CPU) unless loaded
        assertThat(LZ4Factory.fastestInstance()).isSameAs(LZ4Factory.nativeInstance());
    }

    @Test
    void storesARedeliveredMessageOnlyOnce() throws Exception {
        String userId = "user-" + UUID.randomUUID();
        String repeated = UUID.randomUUID().toString();
        send(track(repeated, userId, null, "page_view", "2026-11-20T09:00:00Z"));
        send(track(repeated, userId, null, "page_view", "2026-11-20T09:00:00Z"));
        // Same key, same partition: once the later message is stored, both copies of the first were processed.
        send(track(UUID.randomUUID().toString(), userId, null, "coupon_redeemed", "2026-11-20T10:00:00Z"));

        String customerId = awaitCustomer("userId", userId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/profiles/{id}/interactions", customerId).then().statusCode(200)
                        .body("items.event", contains("coupon_redeemed", "page_view")));
    }

    @Test
    void keepsAnonymousVisitorsAsCustomersKnownByTheirAnonymousId() throws Exception {
        String anonymousId = "anon-" + UUID.randomUUID();
        send(track(UUID.randomUUID().toString(), null, anonymousId, "page_view", "2026-11-20T09:00:00Z"));

        String customerId = awaitCustomer("anonymousId", anonymousId);
        given().get("/profiles/{id}/interactions", customerId).then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void sendsAnUnreadableMessageToTheDeadLetterTopicWithTheReason() {
        String key = "broken-" + UUID.randomUUID();
        KafkaTestClient.send(Topics.EVENTS_RAW, key, "this is not json");

        ConsumerRecord<String, String> dead = KafkaTestClient.awaitRecords(Topics.EVENTS_DLQ, r -> key.equals(r.key()), 1,
                Duration.ofSeconds(30)).get(0);
        assertThat(dead.value()).isEqualTo("this is not json");
        assertThat(dead.headers().lastHeader("dead-letter-reason")).isNotNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).isNotBlank();
    }

    @Test
    void sendsARecordThatIsNotARawEventToTheDeadLetterTopic() {
        String messageId = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.EVENTS_RAW, "nobody", "{\"messageId\": \"%s\", \"type\": \"track\"}".formatted(messageId));

        ConsumerRecord<String, String> dead = KafkaTestClient.awaitRecords(Topics.EVENTS_DLQ,
                r -> r.value() != null && r.value().contains(messageId), 1, Duration.ofSeconds(30)).get(0);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("not a valid raw event");
    }

    private RawEvent track(String messageId, String userId, String anonymousId, String event, String timestamp) {
        ObjectNode payload = json.createObjectNode()
                .put("type", "track").put("messageId", messageId).put("event", event).put("timestamp", timestamp);
        if (userId != null) {
            payload.put("userId", userId);
        }
        if (anonymousId != null) {
            payload.put("anonymousId", anonymousId);
        }
        payload.putObject("properties").put("sku", "A-1");
        return new RawEvent(messageId, "web", "track", userId, anonymousId, Instant.parse(timestamp), Instant.now(),
                RawEvent.SCHEMA_VERSION, payload);
    }

    private void send(RawEvent event) throws Exception {
        String key = event.userId() != null ? event.userId() : event.anonymousId();
        KafkaTestClient.send(Topics.EVENTS_RAW, key, json.writeValueAsString(event));
    }

    private static String awaitCustomer(String idType, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> given().get("/profiles/lookup?" + idType + "={id}", id),
                response -> response.statusCode() == 200).path("customerId");
    }
}
