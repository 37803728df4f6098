package dev.cdp.profile.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One thing a customer did on the website or in the app (a track, page or screen call).
 *
 * @param name the page or screen name (page and screen calls)
 * @param category the page or screen category
 * @param context what the tracking library said about where it happened: page, campaign (UTM), user agent, locale,
 *        library, device, app, ...
 * @param occurredAt when it happened, the sender's clock corrected by its sentAt
 * @param originalTimestamp the time the sender's own clock gave, as it wrote it, when it gave one
 */
public record Interaction(long id, String messageId, String type, String event, String name, String category,
        JsonNode properties, JsonNode context, String channel, String source, Instant occurredAt, String originalTimestamp,
        Instant receivedAt) {
}
