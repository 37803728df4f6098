package dev.cdp.profile.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One thing a customer did on the website or in the app (a track, page or screen call). */
public record Interaction(long id, String messageId, String type, String event, JsonNode properties, String channel,
        String source, Instant occurredAt, Instant receivedAt) {
}
