package dev.cdp.profile.domain;

import java.time.Instant;
import java.util.List;

/**
 * How far the consumer group of {@code topic} is behind, as measured at {@code measuredAt} for the whole group (every
 * partition, whichever replica consumes it): the records after the group's committed offsets, and how old the oldest
 * of them is (its Kafka timestamp, 0 when caught up). {@code refreshFailure} is null while the values are current;
 * otherwise it says why the latest refresh failed, and the values are still those of {@code measuredAt}.
 */
public record ConsumerLag(String topic, String groupId, long totalRecords, double oldestUnprocessedAgeSeconds,
        List<PartitionLag> partitions, Instant measuredAt, String refreshFailure) {

    /**
     * One partition: the group's committed offset (null before its first commit: it then starts at the log start),
     * the end offset, the records in between and how old the first of them is.
     */
    public record PartitionLag(int partition, Long committedOffset, long endOffset, long records, double oldestUnprocessedAgeSeconds) {
    }

    /** The same values, marked as no longer refreshed. */
    public ConsumerLag refreshFailed(String reason) {
        return new ConsumerLag(topic, groupId, totalRecords, oldestUnprocessedAgeSeconds, partitions, measuredAt, reason);
    }
}
