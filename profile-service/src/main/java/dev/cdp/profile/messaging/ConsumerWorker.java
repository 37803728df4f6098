package dev.cdp.profile.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.RawEvent;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.Topics;
import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.repository.BatchRepository.OutboxEvent;
import dev.cdp.profile.service.EventReader;
import dev.cdp.profile.service.EventReader.Read;
import dev.cdp.profile.service.EventReader.Unreadable;
import dev.cdp.profile.service.EventStore;
import dev.cdp.profile.service.EventStore.Outcome;
import dev.cdp.profile.service.WriteConflict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer loop: its own Kafka consumer (partitions are shared out among the loops of all replicas), its own
 * thread, one batch at a time. See {@link RawEventConsumer} for what a batch goes through.
 */
final class ConsumerWorker {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final int OUTBOX_ROWS = 20;
    private static final Duration RELAY_INTERVAL = Duration.ofSeconds(5);
    /** A message deferred this often is stored by a batch that waits for the customers another writer holds. */
    private static final int MAX_DEFERRALS = 3;

    private final EventStore store;
    private final ObjectMapper json;
    private final ProfileConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final boolean relaysOutbox;
    private final Thread thread;
    private final MeterRegistry registry;
    private final Counter deferred;
    private volatile boolean running = true;
    private volatile String unavailable;
    private volatile Instant lastBatchAt;
    private Instant nextRelayAt = Instant.MIN;
    /** Messages read but deferred (another writer held one of their customers), for the next batch. */
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(Read read, ConsumerRecord<String, byte[]> source, int deferrals) {
    }

    ConsumerWorker(int number, EventStore store, ObjectMapper json, ProfileConfig config, Map<String, Object> consumerSettings,
            KafkaProducer<String, byte[]> producer, MeterRegistry registry) {
        this.store = store;
        this.json = json;
        this.config = config;
        this.producer = producer;
        this.consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());
        this.relaysOutbox = number == 0;
        this.registry = registry;
        this.deferred = Counter.builder("cdp.profile.messages.deferred")
                .description("Messages left for a later batch because another writer held one of their customers").register(registry);
        this.thread = new Thread(this::run, "raw-event-consumer-" + number);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Null while the loop is storing; otherwise why it waits. */
    String unavailable() {
        return !running ? "stopped" : unavailable;
    }

    Instant lastBatchAt() {
        return lastBatchAt;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.EVENTS_RAW), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // their new owner reads them again from the committed offset, which is not past them
                    pending.removeIf(deferred -> partitions.contains(partitionOf(deferred.source())));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                if (relaysOutbox) {
                    sendPendingChanges();
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(pending.isEmpty() ? Duration.ofMillis(500) : Duration.ofMillis(20));
                if (!records.isEmpty() || !pending.isEmpty()) {
                    commit(handle(records));
                    lastBatchAt = Instant.now();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            Log.error("The raw event consumer stopped", e);
            unavailable = "stopped: " + e.getMessage();
        } finally {
            consumer.close(Duration.ofSeconds(10));
            running = false;
        }
    }

    /**
     * Stores the deferred messages and the polled records; returns the offsets to commit: for each partition, past
     * what was handled, but never past a message deferred again.
     */
    private Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<String, byte[]> records) {
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        Map<TopicPartition, Long> handled = new HashMap<>();
        batch.forEach(deferred -> handled.merge(partitionOf(deferred.source()), deferred.source().offset(), Math::max));
        List<ProducerRecord<String, byte[]>> dead = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            handled.merge(partitionOf(record), record.offset(), Math::max);
            try {
                Read read = EventReader.read(parse(record), record.value(), config.defaultPhoneRegion());
                batch.add(new Pending(read, record, 0));
            } catch (Unreadable e) {
                dead.add(deadLetter(record, e.getMessage()));
            }
        }
        boolean wait = batch.stream().anyMatch(deferred -> deferred.deferrals() >= MAX_DEFERRALS);
        Outcome stored = batch.isEmpty() ? Outcome.NOTHING : storeWithRetry(batch, dead, wait);
        Set<Read> deferredReads = Collections.newSetFromMap(new IdentityHashMap<>());
        deferredReads.addAll(stored.deferred());
        deferred.increment(deferredReads.size());
        for (Pending message : batch) {
            if (deferredReads.contains(message.read())) {
                pending.add(new Pending(message.read(), message.source(), message.deferrals() + 1));
            }
        }
        List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>(dead.size() + stored.events().size());
        outgoing.addAll(dead);
        for (StoredEvent event : stored.events()) {
            outgoing.add(new ProducerRecord<>(Topics.EVENTS_STORED, event.customerId().toString(), bytes(event)));
        }
        // Before the offsets: a batch whose stored events were not all sent is consumed again (see docs/conversions.md).
        withRetry("Kafka", () -> {
            send(outgoing);
            return null;
        });
        sendChanges(stored.changes());

        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handled.forEach((partition, last) -> offsets.put(partition, new OffsetAndMetadata(last + 1)));
        for (Pending message : pending) {
            offsets.merge(partitionOf(message.source()), new OffsetAndMetadata(message.source().offset()),
                    (a, b) -> a.offset() <= b.offset() ? a : b);
        }
        return offsets;
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private byte[] bytes(StoredEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event cannot be written as JSON", e);
        }
    }

    /**
     * Stores the batch, waiting out an unavailable database; a batch that fails on its data is stored record by
     * record, and the records that fail alone become dead letters.
     */
    private Outcome storeWithRetry(List<Pending> batch, List<ProducerRecord<String, byte[]>> dead, boolean wait) {
        List<Read> reads = batch.stream().map(Pending::read).toList();
        try {
            return withRetry("PostgreSQL", () -> store.store(reads, wait).await().atMost(SEND_TIMEOUT));
        } catch (DataProblem batchProblem) {
            Log.warnf("A batch of %d messages failed on its data (%s); storing them one by one", reads.size(), batchProblem.getMessage());
            List<OutboxEvent> changes = new ArrayList<>();
            List<StoredEvent> events = new ArrayList<>();
            List<Read> deferred = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                List<Read> one = List.of(reads.get(i));
                try {
                    Outcome outcome = withRetry("PostgreSQL", () -> store.store(one, wait).await().atMost(SEND_TIMEOUT));
                    changes.addAll(outcome.changes());
                    events.addAll(outcome.events());
                    deferred.addAll(outcome.deferred());
                } catch (DataProblem problem) {
                    Log.warnf("Message %s from %s cannot be stored: %s", reads.get(i).event().messageId(),
                            reads.get(i).event().source(), problem.getMessage());
                    dead.add(deadLetter(batch.get(i).source(), "cannot be stored: " + problem.getMessage()));
                }
            }
            return new Outcome(changes, events, deferred);
        }
    }

    /** A failure caused by the data itself (or by a bug): retrying cannot help. */
    private static final class DataProblem extends RuntimeException {
        DataProblem(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code step} until it succeeds, backing off while {@code what} is unavailable. The consumer keeps polling
     * (paused) meanwhile, so it stays in its group. Failures caused by the data are thrown as {@link DataProblem}.
     */
    private <T> T withRetry(String what, Step<T> step) {
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                T result = step.run();
                if (unavailable != null) {
                    Log.infof("%s is back; consuming again", what);
                    unavailable = null;
                    consumer.resume(consumer.assignment());
                }
                return result;
            } catch (Exception e) {
                String contention = contention(e);
                if (contention != null) {
                    Counter.builder("cdp.profile.batches.replanned").tag("reason", contention)
                            .description("Batches rolled back and planned again because another writer changed their customers first")
                            .register(registry).increment();
                    Log.debugf("Batch conflicted with another writer (%s); planning it again", e.getMessage());
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(5_000_000, 50_000_000));
                    continue;
                }
                if (!isUnavailable(e)) {
                    throw new DataProblem(e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e);
                }
                if (!running) {
                    throw new WakeupException();
                }
                unavailable = what + " unavailable: " + e.getMessage();
                Log.warnf("%s; retrying in %d ms", unavailable, backoff.toMillis());
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

    /**
     * Whether another writer got there first (or PostgreSQL broke a deadlock), so the batch must be planned again on
     * fresh data: why ({@code claimed}, {@code merged}, {@code deadlock}, {@code serialization}), else null.
     */
    static String contention(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WriteConflict conflict) {
                return conflict.reason();
            }
            if (cause instanceof PgException pg) {
                return "40P01".equals(pg.getSqlState()) ? "deadlock" : "40001".equals(pg.getSqlState()) ? "serialization" : null;
            }
        }
        return null;
    }

    /**
     * Whether a failure means a dependency is unavailable (retry until it is back) rather than a problem with the data
     * (retrying cannot help): connection and I/O errors, time-outs, Kafka's retriable errors, and PostgreSQL's
     * connection, resource, shutdown, authorization, serialization and lock errors (SQLSTATE 08, 53, 57, 28, 40, 55, 58).
     */
    static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return List.of("08", "53", "57", "28", "40", "55", "58").contains(state.length() < 2 ? state : state.substring(0, 2));
            }
            if (cause instanceof IOException || cause instanceof VertxException || cause instanceof RetriableException
                    || cause instanceof TimeoutException || cause instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private RawEvent parse(ConsumerRecord<String, byte[]> record) throws Unreadable {
        if (record.value() == null) {
            throw new Unreadable("the record has no value");
        }
        RawEvent event;
        try {
            event = json.readValue(record.value(), RawEvent.class);
        } catch (IOException e) {
            throw new Unreadable("not a raw event: " + (e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage()));
        }
        if (event == null || event.messageId() == null || event.source() == null || event.type() == null
                || event.occurredAt() == null || event.receivedAt() == null || event.payload() == null) {
            throw new Unreadable("not a valid raw event: messageId, source, type, occurredAt, receivedAt and payload are required");
        }
        return event;
    }

    /** The original record, unchanged, with the reason and where it came from in the headers. */
    private static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.EVENTS_DLQ, record.key(), record.value());
        for (Header header : record.headers()) {
            dead.headers().add(header);
        }
        dead.headers().add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-partition", String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-offset", String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        return dead;
    }

    /** Sends change events and then removes them from the outbox; on failure they stay there for the next round. */
    private void sendChanges(List<OutboxEvent> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            send(changes.stream().map(change -> new ProducerRecord<>(Topics.PROFILES_CHANGED, change.customerId().toString(),
                    change.json().getBytes(StandardCharsets.UTF_8))).toList());
            store.changesSent(changes.stream().map(OutboxEvent::outboxId).distinct().toList()).await().atMost(SEND_TIMEOUT);
        } catch (Exception e) {
            Log.warnf("Change events stay in the outbox until they can be sent: %s", e.getMessage());
        }
    }

    /** Change events left by a crash or an outage, looked for every few seconds. */
    private void sendPendingChanges() {
        if (Instant.now().isBefore(nextRelayAt)) {
            return;
        }
        nextRelayAt = Instant.now().plus(RELAY_INTERVAL);
        try {
            sendChanges(store.pendingChanges(OUTBOX_ROWS).await().atMost(SEND_TIMEOUT));
        } catch (RuntimeException e) {
            Log.debugf("The outbox cannot be read now: %s", e.getMessage());
        }
    }

    private void send(List<ProducerRecord<String, byte[]>> records) throws ExecutionException, InterruptedException, TimeoutException {
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
            Log.infof("Offsets not committed (%s); the records will be delivered again and change nothing", e.getMessage());
        }
    }
}
