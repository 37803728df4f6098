package dev.cdp.profile.messaging;

import dev.cdp.profile.domain.ConsumerLag;
import dev.cdp.profile.domain.ConsumerLag.PartitionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures a consumer group's lag on a topic from the outside, the same from any replica: the partitions, the group's
 * committed offsets and the log start and end offsets come from an admin client; the timestamp of the first record
 * after each committed offset from a reader of its own (no group, nothing committed) that seeks there and reads one
 * record. A partition the group has not committed yet counts from its log start, where the consumer begins
 * ({@code auto.offset.reset=earliest}); so does one whose committed records were deleted by retention.
 * <p>
 * One measurement at a time (the reader is not thread-safe); each gives up after {@code timeout}.
 */
public final class ConsumerLagProbe implements AutoCloseable {

    /** The clients' id, before the group id: tells them from the consumer loops in the broker's and our logs. */
    static final String CLIENT_ID_PREFIX = "lag-probe-";
    private static final Duration READ_POLL = Duration.ofMillis(200);

    private final String topic;
    private final String groupId;
    private final Duration timeout;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;

    /** {@code clientSettings}: connection settings shared by both clients (security.protocol, sasl.*, ssl.*). */
    public ConsumerLagProbe(String bootstrapServers, String topic, String groupId, Map<String, ?> clientSettings, Duration timeout) {
        this.topic = topic;
        this.groupId = groupId;
        this.timeout = timeout;
        String clientId = CLIENT_ID_PREFIX + groupId;
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> adminSettings = new HashMap<>(clientSettings);
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminSettings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        adminSettings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        adminSettings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        this.admin = Admin.create(adminSettings);
        Map<String, Object> readerSettings = new HashMap<>(clientSettings);
        readerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        readerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        readerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        readerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One record per partition is all it needs; a larger first batch still comes whole.
        readerSettings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        readerSettings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * 1024 * 1024);
        this.reader = new KafkaConsumer<>(readerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Measures the group's lag on every partition of the topic now; fails if the broker does not answer in time. */
    public synchronized ConsumerLag measure() throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
                .allTopicNames().get(remainingMs(deadline), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        // Committed offsets before end offsets: a commit in between can only make the lag look larger, never negative.
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId,
                        new ListConsumerGroupOffsetsOptions().timeoutMs(remainingMs(deadline)))
                .partitionsToOffsetAndMetadata().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> logStart = offsets(partitions, OffsetSpec.earliest(), deadline);
        Map<TopicPartition, Long> logEnd = offsets(partitions, OffsetSpec.latest(), deadline);

        Map<TopicPartition, Long> firstUnprocessed = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long from = Math.max(offset(committed.get(partition), 0), logStart.get(partition));
            if (from < logEnd.get(partition)) {
                firstUnprocessed.put(partition, from);
            }
        }
        Map<TopicPartition, Long> timestamps = firstTimestamps(firstUnprocessed, logEnd, deadline);

        Instant now = Instant.now();
        List<PartitionLag> lags = new ArrayList<>(partitions.size());
        long total = 0;
        double oldest = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            Long from = firstUnprocessed.get(partition);
            long records = from == null ? 0 : logEnd.get(partition) - from;
            Long timestamp = timestamps.get(partition);
            double age = timestamp == null ? 0 : Math.max(0, now.toEpochMilli() - timestamp) / 1000.0;
            lags.add(new PartitionLag(partition.partition(), commit == null ? null : commit.offset(), logEnd.get(partition), records, age));
            total += records;
            oldest = Math.max(oldest, age);
        }
        return new ConsumerLag(topic, groupId, total, oldest, List.copyOf(lags), now, null);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(remainingMs(deadline))).all()
                .get(remainingMs(deadline), TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * The timestamp of the first record at or after each offset. A partition whose remaining entries are only
     * transaction markers has no such record: it has none to wait for.
     */
    private Map<TopicPartition, Long> firstTimestamps(Map<TopicPartition, Long> from, Map<TopicPartition, Long> logEnd, long deadline)
            throws TimeoutException {
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        if (from.isEmpty()) {
            return timestamps;
        }
        reader.assign(from.keySet());
        reader.resume(from.keySet());
        from.forEach(reader::seek);
        Set<TopicPartition> waiting = new HashSet<>(from.keySet());
        while (!waiting.isEmpty()) {
            long remaining = remainingMs(deadline);
            if (remaining <= 0) {
                throw new TimeoutException("the first unprocessed record of " + waiting + " could not be read in time");
            }
            ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(Math.min(remaining, READ_POLL.toMillis())));
            for (TopicPartition partition : records.partitions()) {
                if (waiting.remove(partition)) {
                    timestamps.put(partition, records.records(partition).get(0).timestamp());
                }
            }
            waiting.removeIf(partition -> onlyMarkersLeft(partition, logEnd.get(partition)));
            // Read: no need to fetch these again while the others are waited for.
            reader.pause(timestamps.keySet());
        }
        return timestamps;
    }

    /** Whether the reader went past the end without a record: what was left were transaction markers. */
    private boolean onlyMarkersLeft(TopicPartition partition, long logEnd) {
        try {
            return reader.position(partition, Duration.ZERO) >= logEnd;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false; // being reset (retention deleted the offset meanwhile): known after a later poll
        }
    }

    private static long offset(OffsetAndMetadata committed, long otherwise) {
        return committed == null ? otherwise : committed.offset();
    }

    private static int remainingMs(long deadline) {
        return (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Stops a measurement under way (it fails) and closes both clients. */
    @Override
    public void close() {
        reader.wakeup();
        admin.close(Duration.ofSeconds(1));
        synchronized (this) {
            reader.close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
