package dev.cdp.ingestion.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.IsoTimes;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.RawEvent;
import dev.cdp.events.Topics;
import dev.cdp.ingestion.config.IngestionConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes accepted messages to {@code cdp.events.raw}, keyed by customer, with Kafka's own producer. (A reactive
 * messaging emitter costs several times more CPU per record; see docs/performance.md.) Records are written on the
 * caller's thread, by hand rather than by reflection, with the payload as the sender's own bytes where it can. {@code send} can block while the producer has no metadata for the topic, or its buffer is full:
 * while Kafka answers, the caller sends directly (the metadata is known, the buffer drains); after any failure, and
 * until a send succeeds again, sends go through one hand-off thread, so an event loop never waits for Kafka. After
 * a send timed out, sends fail at once for a second, so a Kafka outage answers every sender quickly instead of
 * queueing them.
 */
@ApplicationScoped
public class RawEventPublisher {

    /**
     * One record to send: its key (the customer), its value and, when the message is unchanged, the bytes the sender
     * sent, which become the payload as they are (copying them costs a fraction of writing the parsed tree again).
     */
    public record Keyed(String key, RawEvent event, byte[] rawPayload) {
    }

    private static final long OPEN_CIRCUIT_NANOS = Duration.ofSeconds(1).toNanos();
    private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private final KafkaProducer<String, byte[]> producer;
    private final JsonFactory factory;
    private final ExecutorService handoff = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raw-event-send");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long unavailableUntil;
    /** Kafka acknowledged the last send: the topic's metadata is known and sending does not block. */
    private volatile boolean flowing;

    public RawEventPublisher(ObjectMapper json, IngestionConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>(config.producer());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ingestion-raw-events");
        NativeLz4.load();
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        this.factory = json.getFactory();
    }

    /**
     * Sends the records; {@code done} is called once, when the broker has acknowledged all of them (acks=all), with
     * null, or with the first failure. It runs on a Kafka client thread.
     */
    public void send(List<Keyed> messages, Consumer<Throwable> done) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(messages.size());
        for (Keyed message : messages) {
            records.add(new ProducerRecord<>(Topics.EVENTS_RAW, message.key(), record(factory, message.event(), message.rawPayload())));
        }
        Completion completion = new Completion(records.size(), done);
        if (flowing) {
            sendAll(records, completion);
        } else {
            handoff.execute(() -> sendAll(records, completion));
        }
    }

    private void sendAll(List<ProducerRecord<String, byte[]>> records, Completion completion) {
        for (ProducerRecord<String, byte[]> record : records) {
            if (completion.failure.get() != null || System.nanoTime() < unavailableUntil) {
                completion.onCompletion(null, completion.failure.get() != null ? completion.failure.get() : new CircuitOpen());
                continue;
            }
            try {
                producer.send(record, completion);
            } catch (RuntimeException e) {
                completion.onCompletion(null, e);
            }
        }
    }

    @PreDestroy
    void close() {
        handoff.shutdown();
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * The record's JSON: {@link RawEvent}'s fields, in its order, then the payload: the message's bytes as they were
     * sent ({@code rawPayload}), or, for a message the intake changed or built (null), its tree.
     */
    public static byte[] record(JsonFactory factory, RawEvent event, byte[] rawPayload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (rawPayload == null ? 1024 : rawPayload.length));
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("messageId", event.messageId());
            generator.writeStringField("source", event.source());
            generator.writeStringField("type", event.type());
            generator.writeStringField("userId", event.userId());
            generator.writeStringField("anonymousId", event.anonymousId());
            generator.writeStringField("occurredAt", IsoTimes.format(event.occurredAt()));
            generator.writeStringField("receivedAt", IsoTimes.format(event.receivedAt()));
            generator.writeNumberField("schemaVersion", event.schemaVersion());
            if (rawPayload == null) {
                generator.writeFieldName("payload");
                generator.writeTree(event.payload());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rawPayload == null) {
            return out.toByteArray();
        }
        byte[] envelope = out.toByteArray();
        byte[] record = new byte[envelope.length - 1 + PAYLOAD_FIELD.length + rawPayload.length + 1];
        System.arraycopy(envelope, 0, record, 0, envelope.length - 1); // all but the closing brace
        System.arraycopy(PAYLOAD_FIELD, 0, record, envelope.length - 1, PAYLOAD_FIELD.length);
        System.arraycopy(rawPayload, 0, record, envelope.length - 1 + PAYLOAD_FIELD.length, rawPayload.length);
        record[record.length - 1] = '}';
        return record;
    }

    /** Not sent: a send timed out waiting for Kafka less than a second ago. */
    private static final class CircuitOpen extends RuntimeException {
        CircuitOpen() {
            super("Kafka was unavailable a moment ago", null, false, false);
        }
    }

    /** Counts acknowledgements down and reports once; a timeout opens the circuit for a moment. */
    private final class Completion implements Callback {
        private final AtomicInteger remaining;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Consumer<Throwable> done;

        Completion(int count, Consumer<Throwable> done) {
            this.remaining = new AtomicInteger(count);
            this.done = done;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                flowing = true;
            } else if (failure.compareAndSet(null, exception)) {
                flowing = false;
                if (exception instanceof TimeoutException) {
                    unavailableUntil = System.nanoTime() + OPEN_CIRCUIT_NANOS;
                }
                Log.warnf("Kafka did not take a record: %s", exception.getMessage());
            }
            if (remaining.decrementAndGet() == 0) {
                done.accept(failure.get());
            }
        }
    }
}
