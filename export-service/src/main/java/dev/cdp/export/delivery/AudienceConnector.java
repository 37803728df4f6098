package dev.cdp.export.delivery;

import dev.cdp.export.destination.DestinationKind;

/**
 * One platform's audience API. Each method makes one call (the {@link Delivery} around it retries, waits out rate
 * limits and audits) and throws a {@link DeliveryException} for anything the platform did not accept.
 */
public interface AudienceConnector {

    DestinationKind kind();

    /** The most rows one call may carry. */
    int maxBatch();

    /** Whether a full upload replaces the audience's members in one session (so stale members need no removal). */
    default boolean replacesOnFullUpload() {
        return false;
    }

    /** A harmless call that shows whether the platform takes the settings and credentials. */
    PlatformAnswer test(Target target);

    /** Creates the platform audience named so and returns its id; a platform that cannot create one says so. */
    String createAudience(Target target, String name);

    /** Adds the rows to {@code target.audienceId()} (or replaces the members, for a batch of a replacing upload). */
    BatchResult add(Target target, AudienceBatch batch);

    /** Removes the rows from {@code target.audienceId()}. */
    BatchResult remove(Target target, AudienceBatch batch);

    /**
     * What the platform said of an accepted batch.
     *
     * @param received rows the platform counted (or the rows sent, when it counts none)
     * @param invalid rows it took but could not use
     * @param invalidSamples its examples of those, as it gave them (hashes or reasons, never clear text)
     */
    record BatchResult(PlatformAnswer answer, long received, long invalid, java.util.List<String> invalidSamples) {

        public static BatchResult accepted(PlatformAnswer answer, int rows) {
            return new BatchResult(answer, rows, 0, java.util.List.of());
        }
    }
}
