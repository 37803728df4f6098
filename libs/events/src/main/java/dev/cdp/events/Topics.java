package dev.cdp.events;

import java.util.List;

/** Kafka topic names of the suite. Every record on them is keyed by customer (see design.md). */
public final class Topics {

    /** Accepted intake messages, as received, keyed by userId (or anonymousId). Produced by ingestion-service. */
    public static final String EVENTS_RAW = "cdp.events.raw";

    /**
     * Records any consumer of the suite can never process, unchanged, with the reason, the topic, partition and offset
     * they came from and the consumer group in {@code dead-letter-*} headers.
     */
    public static final String EVENTS_DLQ = "cdp.events.dlq";

    /** One record per customer whose profile changed. Produced by profile-service. */
    public static final String PROFILES_CHANGED = "cdp.profiles.changed";

    /**
     * Every stored interaction and transaction with its stitched customer, profile and consent ({@link StoredEvent}),
     * for forwarding to the platforms' conversion APIs. Produced by profile-service, consumed by export-service.
     */
    public static final String EVENTS_STORED = "cdp.events.stored";

    /** Segment membership changes. Produced by segment-service. */
    public static final String SEGMENTS_MEMBERSHIP = "cdp.segments.membership";

    /** Every topic, for tools that create them up front. */
    public static final List<String> ALL = List.of(EVENTS_RAW, EVENTS_DLQ, PROFILES_CHANGED, EVENTS_STORED, SEGMENTS_MEMBERSHIP);

    private Topics() {
    }
}
