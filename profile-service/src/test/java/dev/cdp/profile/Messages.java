package dev.cdp.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cdp.events.RawEvent;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import dev.cdp.testing.TestDatabase;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Raw events as ingestion-service writes them, sent to the real cdp.events.raw topic. Each test uses its own source
 * name, so it can count what was stored of its own messages.
 */
final class Messages {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    final String source = "test-" + UUID.randomUUID().toString().substring(0, 8);

    ObjectNode message(String type, String userId, String anonymousId, String timestamp) {
        ObjectNode message = JSON.createObjectNode().put("type", type).put("messageId", UUID.randomUUID().toString())
                .put("timestamp", timestamp);
        if (userId != null) {
            message.put("userId", userId);
        }
        if (anonymousId != null) {
            message.put("anonymousId", anonymousId);
        }
        return message;
    }

    ObjectNode track(String userId, String anonymousId, String event, String timestamp) {
        ObjectNode track = message("track", userId, anonymousId, timestamp).put("event", event);
        track.putObject("properties").put("sku", "FUEL-95");
        return track;
    }

    ObjectNode transaction(String userId, String type, String amount, String timestamp) {
        return message("transaction", userId, null, timestamp).put("transactionId", "T-" + UUID.randomUUID())
                .put("transactionType", type).put("amount", amount).put("currency", "TRY").put("storeId", "IST-007");
    }

    static ObjectNode consent(ObjectNode message, boolean advertising, boolean email, boolean sms) {
        message.withObject("/context").putObject("consent").putObject("categoryPreferences")
                .put("advertising", advertising).put("email", email).put("sms", sms);
        return message;
    }

    /** Sends the message as ingestion-service would: a raw event keyed by customer. */
    void send(ObjectNode message) {
        String key = message.hasNonNull("userId") ? message.get("userId").asText()
                : message.hasNonNull("anonymousId") ? message.get("anonymousId").asText() : message.path("email").asText();
        KafkaTestClient.send(Topics.EVENTS_RAW, key, raw(message));
    }

    String raw(ObjectNode message) {
        RawEvent event = new RawEvent(message.get("messageId").asText(), source, message.get("type").asText(),
                message.path("userId").asText(null), message.path("anonymousId").asText(null),
                Instant.parse(message.get("timestamp").asText()), Instant.now(), RawEvent.SCHEMA_VERSION, message);
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many of this source's messages are in bronze (visible only once their whole batch committed). */
    long stored() {
        try (Connection connection = TestDatabase.admin();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM profile.raw_events WHERE source = ?")) {
            query.setString(1, source);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
