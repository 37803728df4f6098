package dev.cdp.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One customer whose profile changed, on {@link Topics#PROFILES_CHANGED}, keyed by customerId. Sent after the change
 * is committed (through an outbox, so none is lost); a consumer re-reads what it needs from the read model.
 *
 * @param messageId unique per change message, for consumers' deduplication
 * @param customerId the customer, as it is now
 * @param changes what changed: profile, consent, identity, transaction, interaction, merge, or erased (the customer was
 *     erased: nothing of them is left to read)
 * @param mergedFrom customers merged into this one by this change; their ids now lead here
 * @param occurredAt when the change was committed
 * @param schemaVersion the version of this record's shape
 */
public record ProfileChanged(UUID messageId, UUID customerId, List<String> changes, List<UUID> mergedFrom,
        Instant occurredAt, int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;
    public static final String ERASED = "erased";
}
