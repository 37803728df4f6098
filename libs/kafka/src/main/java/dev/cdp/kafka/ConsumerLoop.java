package dev.cdp.kafka;

import dev.cdp.kafka.BatchHandler.Item;
import dev.cdp.kafka.BatchHandler.Processed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The one way the suite consumes Kafka: a Kafka consumer on its own thread, one batch at a time.
 * <ol>
 * <li>Each record is read; one that cannot be ({@link Unreadable}) goes to the dead letters with the reason.</li>
 * <li>The rest are processed together. While a dependency is away ({@link Failures#isUnavailable}) the loop waits
 * with back-off (up to 30 s), polling with its partitions paused so it stays in its group, and says why in
 * {@link #unavailable()}. A batch that fails on its data is processed one record at a time, and a record that fails
 * alone goes to the dead letters while its neighbours are processed.</li>
 * <li>Dead letters and the records processing produced are sent, and only then are the offsets committed, never past
 * a record deferred to a later batch.</li>
 * </ol>
 * A crash anywhere repeats the batch, so processing must be idempotent: effectively once.
 *
 * @param <T> what a record means to the service
 */
public final class ConsumerLoop<T> {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Collection<String> topics;
    private final String group;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final BatchHandler<T> handler;
    private final MeterRegistry registry;
    private final String metricPrefix;
    private final Counter deadLettered;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String unavailable;
    private volatile Instant lastBatchAt;
    /** Items deferred by the last batch, for the next one. */
    private final List<Item<T>> pending = new ArrayList<>();

    /**
     * @param settings the Kafka consumer's settings, with its {@code group.id}; offsets are always committed by the loop
     * @param producer sends the dead letters and what processing produced
     * @param metricPrefix of the loop's meters, such as {@code cdp.profile}
     */
    public ConsumerLoop(String name, Collection<String> topics, Map<String, Object> settings, KafkaProducer<String, byte[]> producer,
            BatchHandler<T> handler, MeterRegistry registry, String metricPrefix) {
        Map<String, Object> own = new HashMap<>(settings);
        own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.name = name;
        this.topics = List.copyOf(topics);
        this.group = String.valueOf(own.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.consumer = new KafkaConsumer<>(own, new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = producer;
        this.handler = handler;
        this.registry = registry;
        this.metricPrefix = metricPrefix;
        this.deadLettered = Counter.builder(metricPrefix + ".messages.dead-lettered")
                .description("Records sent to the dead-letter topic because they can never be processed").register(registry);
        this.thread = new Thread(this::run, name);
    }

    public void start() {
        thread.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Null while the loop consumes; otherwise why it waits (for readiness checks). */
    public String unavailable() {
        return !running ? "stopped" : unavailable;
    }

    /** When the loop last finished a batch, or null before the first. */
    public Instant lastBatchAt() {
        return lastBatchAt;
    }

    private void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // their new owner reads them again from the committed offset, which is not past them
                    pending.removeIf(item -> partitions.contains(partitionOf(item.source())));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                handler.beforePoll();
                ConsumerRecords<String, byte[]> records = consumer.poll(pending.isEmpty() ? Duration.ofMillis(500) : Duration.ofMillis(20));
                if (!records.isEmpty() || !pending.isEmpty()) {
                    commit(handle(records));
                    lastBatchAt = Instant.now();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped", name);
            unavailable = "stopped: " + e.getMessage();
        } finally {
            consumer.close(Duration.ofSeconds(10));
            running = false;
        }
    }

    /** Handles the deferred items and the polled records; returns the offsets to commit. */
    private Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<String, byte[]> records) {
        List<Item<T>> batch = new ArrayList<>(pending);
        pending.clear();
        Map<TopicPartition, Long> handled = new HashMap<>();
        batch.forEach(item -> handled.merge(partitionOf(item.source()), item.source().offset(), Math::max));
        List<ProducerRecord<String, byte[]>> dead = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            handled.merge(partitionOf(record), record.offset(), Math::max);
            try {
                batch.add(new Item<>(handler.read(record), record, 0));
            } catch (Unreadable e) {
                dead.add(deadLetter(record, e.getMessage()));
            }
        }
        Processed<T> processed = batch.isEmpty() ? Processed.done() : processWithRetry(batch, dead);
        for (Item<T> item : processed.deferred()) {
            pending.add(new Item<>(item.value(), item.source(), item.deferrals() + 1));
        }
        List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>(dead.size() + processed.outgoing().size());
        outgoing.addAll(dead);
        outgoing.addAll(processed.outgoing());
        withRetry("Kafka", () -> {
            send(outgoing);
            return null;
        });
        deadLettered.increment(dead.size());
        processed.afterSending().run();

        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handled.forEach((partition, last) -> offsets.put(partition, new OffsetAndMetadata(last + 1)));
        for (Item<T> item : pending) {
            offsets.merge(partitionOf(item.source()), new OffsetAndMetadata(item.source().offset()),
                    (a, b) -> a.offset() <= b.offset() ? a : b);
        }
        return offsets;
    }

    /**
     * Processes the batch, waiting out an unavailable dependency; a batch that fails on its data is processed record
     * by record, and the records that fail alone become dead letters.
     */
    private Processed<T> processWithRetry(List<Item<T>> batch, List<ProducerRecord<String, byte[]>> dead) {
        try {
            return withRetry(handler.dependency(), () -> handler.process(batch));
        } catch (DataProblem batchProblem) {
            if (batch.size() == 1) {
                dead.add(deadLetter(batch.get(0).source(), "cannot be processed: " + batchProblem.getMessage()));
                return Processed.done();
            }
            LOG.warnf("%s: a batch of %d records failed on its data (%s); processing them one by one", name, batch.size(),
                    batchProblem.getMessage());
            Processed<T> all = Processed.done();
            for (Item<T> item : batch) {
                try {
                    all = all.and(withRetry(handler.dependency(), () -> handler.process(List.of(item))));
                } catch (DataProblem problem) {
                    dead.add(deadLetter(item.source(), "cannot be processed: " + problem.getMessage()));
                }
            }
            return all;
        }
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        // where, not why: the reason may quote the record, which may hold personal data
        LOG.warnf("%s: the record at %s-%d offset %d goes to the dead letters (the reason is in its headers)", name, record.topic(),
                record.partition(), record.offset());
        return DeadLetters.of(record, group, reason);
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** A failure caused by the data itself (or by a bug): retrying cannot help. */
    private static final class DataProblem extends RuntimeException {
        DataProblem(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private interface Step<R> {
        R run() throws Exception;
    }

    /**
     * Runs {@code step} until it succeeds, backing off while {@code what} is unavailable and planning again on
     * contention. Failures caused by the data are thrown as {@link DataProblem}.
     */
    private <R> R withRetry(String what, Step<R> step) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                R result = step.run();
                if (unavailable != null) {
                    LOG.infof("%s: %s is back; consuming again", name, what);
                    unavailable = null;
                    consumer.resume(consumer.assignment());
                }
                return result;
            } catch (Exception e) {
                String contention = Failures.contention(e);
                if (contention != null) {
                    Counter.builder(metricPrefix + ".batches.replanned").tag("reason", contention)
                            .description("Batches rolled back and planned again because another writer changed their data first")
                            .register(registry).increment();
                    LOG.debugf("%s: the batch conflicted with another writer (%s); planning it again", name, e.getMessage());
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(5_000_000, 50_000_000));
                    continue;
                }
                if (!Failures.isUnavailable(e)) {
                    throw new DataProblem(e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e);
                }
                if (!running) {
                    throw new WakeupException();
                }
                unavailable = what + " unavailable: " + e.getMessage();
                LOG.warnf("%s: %s; retrying in %d ms", name, unavailable, backoff.toMillis());
                waitPaused(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Waits while polling with every partition paused, so the consumer stays in its group. Should a rebalance hand it
     * a new partition meanwhile, whatever that poll returns is rewound, never skipped.
     */
    private void waitPaused(Duration duration) {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> unexpected = consumer.poll(duration);
        for (TopicPartition partition : unexpected.partitions()) {
            consumer.seek(partition, unexpected.records(partition).get(0).offset());
        }
    }

    private void send(List<ProducerRecord<String, byte[]>> records) throws Exception {
        List<Future<?>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            acks.add(producer.send(record));
        }
        for (Future<?> ack : acks) {
            ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A rebalance may have taken partitions away meanwhile: their new owner repeats the records, harmlessly. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.infof("%s: offsets not committed (%s); the records will be delivered again and change nothing", name, e.getMessage());
        }
    }
}
