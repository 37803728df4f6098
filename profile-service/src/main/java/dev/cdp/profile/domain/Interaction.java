package dev.cdp.profile.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One thing a customer did on the website or in the app. */
public record Interaction(String messageId, String event, JsonNode properties, String source, Instant occurredAt,
        Instant receivedAt) {
}
