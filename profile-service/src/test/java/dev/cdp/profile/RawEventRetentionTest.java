package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.profile.service.RawEventRetention;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Raw events older than the retention are deleted; what was built from them stays. */
@QuarkusTest
class RawEventRetentionTest {

    private final Messages messages = new Messages();

    @Inject
    RawEventRetention retention;

    @Test
    void deletesRawEventsStoredLongerAgoThanTheRetentionAndKeepsTheProfile() throws Exception {
        String old = "u-" + UUID.randomUUID();
        String recent = "u-" + UUID.randomUUID();
        List<String> oldMessages = new ArrayList<>();
        for (ObjectNode message : List.of(messages.message("identify", old, null, "2026-05-01T10:00:00Z"),
                messages.track(old, null, "product_view", "2026-05-01T10:05:00Z"),
                messages.transaction(old, "FUEL", "900.00", "2026-05-01T10:30:00Z"))) {
            oldMessages.add(message.get("messageId").asText());
            messages.send(message);
        }
        messages.send(messages.track(recent, null, "product_view", "2026-12-01T10:05:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 4);
        // Stored 200 days ago, as far as the table can tell (the default retention is 180 days).
        try (Connection db = TestDatabase.admin(); PreparedStatement age = db.prepareStatement(
                "UPDATE profile.raw_events SET stored_at = now() - interval '200 days' WHERE source = ? AND message_id = ANY (?)")) {
            age.setString(1, messages.source);
            age.setArray(2, db.createArrayOf("text", oldMessages.toArray()));
            assertThat(age.executeUpdate()).isEqualTo(3);
        }

        assertThat(retention.expire().await().atMost(Duration.ofSeconds(60))).isGreaterThanOrEqualTo(3);

        assertThat(messages.stored()).as("only the recent raw event is left").isEqualTo(1);
        assertThat(rawEventsOf(old)).isZero();
        assertThat(rawEventsOf(recent)).isEqualTo(1);
        String customerId = given().get("/profiles/lookup?userId={id}", old).then().statusCode(200)
                .body("facts.transactionCount", equalTo(1)).extract().path("customerId");
        given().get("/profiles/{id}/interactions", customerId).then().statusCode(200)
                .body("items[0].event", equalTo("product_view")).body("items[0].messageId", nullValue());
        given().get("/profiles/{id}/transactions", customerId).then().statusCode(200).body("items[0].amount", equalTo(900.0f));
        assertThat(retention.expire().await().atMost(Duration.ofSeconds(60))).as("nothing else is old enough").isZero();
    }

    private long rawEventsOf(String userId) throws Exception {
        try (Connection db = TestDatabase.admin();
                PreparedStatement query = db.prepareStatement("SELECT count(*) FROM profile.raw_events WHERE user_id = ?")) {
            query.setString(1, userId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
