package dev.cdp.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer entered or exited a segment, on {@link Topics#SEGMENTS_MEMBERSHIP}, keyed by customerId. Sent after the
 * evaluation that found it committed (through an outbox); the same change may arrive twice, with the same messageId.
 *
 * @param messageId unique per change, for consumers' deduplication
 * @param segmentId the segment
 * @param customerId the customer
 * @param change {@code ENTERED} or {@code EXITED}
 * @param definitionVersion the version of the segment's definition that decided it
 * @param occurredAt the evaluation time
 * @param schemaVersion the version of this record's shape
 */
public record MembershipChanged(UUID messageId, UUID segmentId, UUID customerId, String change, int definitionVersion,
        Instant occurredAt, int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;
    public static final String ENTERED = "ENTERED";
    public static final String EXITED = "EXITED";
}
