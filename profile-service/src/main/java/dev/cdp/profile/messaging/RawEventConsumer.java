package dev.cdp.profile.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.ProfileChanged;
import dev.cdp.events.RawEvent;
import dev.cdp.events.StoredEvent;
import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.service.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Consumes {@code cdp.events.raw} in batches with Kafka's consumer, on {@code cdp.profile.writers} loops at once
 * ({@link ConsumerWorker}), each batch going through:
 * <ol>
 * <li>records that are not raw events, or cannot be true, go to {@code cdp.events.dlq} with the reason;</li>
 * <li>the rest are stored in one transaction ({@link EventStore});</li>
 * <li>if PostgreSQL is unavailable, the consumer pauses and retries with back-off (up to 30 s) until it is back;
 * if one record makes the transaction fail, the batch is stored one record at a time and that record goes to the
 * dead-letter topic, while its neighbours are stored;</li>
 * <li>the change events the transaction wrote to the outbox are sent to {@code cdp.profiles.changed};</li>
 * <li>only then are the offsets committed.</li>
 * </ol>
 * A crash anywhere repeats the batch, which changes nothing already stored: effectively once.
 */
@ApplicationScoped
@RegisterForReflection(targets = {RawEvent.class, ProfileChanged.class, StoredEvent.class, StoredEvent.Context.class,
        StoredEvent.Person.class}) // read and written by Jackson in native images
public class RawEventConsumer {

    private final EventStore store;
    private final ObjectMapper json;
    private final ProfileConfig config;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    private final List<ConsumerWorker> workers = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;

    public RawEventConsumer(EventStore store, ObjectMapper json, ProfileConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.store = store;
        this.json = json;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void start(@Observes StartupEvent started) {
        NativeLz4.load();
        Map<String, Object> producerSettings = new HashMap<>(config.producer());
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerSettings = new HashMap<>(config.consumer());
        consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        for (int i = 0; i < config.writers(); i++) {
            workers.add(new ConsumerWorker(i, store, json, config, consumerSettings, producer, registry));
        }
        workers.forEach(ConsumerWorker::start);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        for (ConsumerWorker worker : workers) {
            worker.stop();
        }
        producer.close(Duration.ofSeconds(10));
    }

    /** Null while every loop is storing; otherwise why one waits (for the readiness check). */
    public String unavailable() {
        return workers.stream().map(ConsumerWorker::unavailable).filter(reason -> reason != null).findFirst().orElse(null);
    }

    public Instant lastBatchAt() {
        return workers.stream().map(ConsumerWorker::lastBatchAt).filter(at -> at != null).max(Instant::compareTo).orElse(null);
    }
}
