package dev.cdp.profile.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A message as bronze holds it, for the live event debugger: what was received, from which source, and when it was
 * sent, received and stored. {@code event} is a track call's event or a page or screen call's name.
 */
public record StoredEvent(long id, String source, String messageId, String type, String event, String userId, String anonymousId,
        Instant occurredAt, Instant receivedAt, Instant storedAt, JsonNode payload) {
}
