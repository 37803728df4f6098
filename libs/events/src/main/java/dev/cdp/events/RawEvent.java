package dev.cdp.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One accepted intake message on {@link Topics#EVENTS_RAW}, keyed by customer: userId, else anonymousId, else the
 * identifier a transaction names ({@code email:...}, {@code phone:...}, {@code loyaltyCard:...}).
 *
 * @param messageId the sender's message id (Segment's {@code messageId}); unique per source
 * @param source the write key's source name (web, app, pos, ...), never the key itself
 * @param type the Segment call type (track, identify, page, screen, group, alias) or transaction (a POS sale)
 * @param userId the customer's id in the sender's system, if known
 * @param anonymousId the device or browser id, if known
 * @param occurredAt when it happened, as the sender says ({@code timestamp}); the receive time if the sender gave none
 * @param receivedAt when ingestion-service accepted it
 * @param schemaVersion the version of this record's shape
 * @param payload the message exactly as received
 */
public record RawEvent(
        String messageId,
        String source,
        String type,
        String userId,
        String anonymousId,
        Instant occurredAt,
        Instant receivedAt,
        int schemaVersion,
        ObjectNode payload) {

    public static final int SCHEMA_VERSION = 1;
}
