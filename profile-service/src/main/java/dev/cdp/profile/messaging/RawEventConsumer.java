package dev.cdp.profile.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.ProfileChanged;
import dev.cdp.events.RawEvent;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.Topics;
import dev.cdp.kafka.ConsumerLoop;
import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.service.EventReader.Read;
import dev.cdp.profile.service.EventStore;
import io.micrometer.core.instrument.Counter;
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
 * Consumes {@code cdp.events.raw} on {@code cdp.profile.writers} {@link ConsumerLoop}s at once (partitions are shared
 * out among the loops of all replicas), each batch going through:
 * <ol>
 * <li>records that are not raw events, or cannot be true, go to {@code cdp.events.dlq} with the reason;</li>
 * <li>the rest are stored in one transaction ({@link EventStore}), waiting out an unavailable PostgreSQL; one record
 * that makes the transaction fail goes to the dead letters, while its neighbours are stored;</li>
 * <li>the stored events are sent to {@code cdp.events.stored}, and the change events the transaction wrote to the
 * outbox to {@code cdp.profiles.changed} ({@link RawEventHandler});</li>
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
    private final List<ConsumerLoop<Read>> loops = new ArrayList<>();
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
        Counter deferred = Counter.builder("cdp.profile.messages.deferred")
                .description("Messages left for a later batch because another writer held one of their customers").register(registry);
        for (int i = 0; i < config.writers(); i++) {
            RawEventHandler handler = new RawEventHandler(store, json, config, producer, i == 0, deferred);
            loops.add(new ConsumerLoop<>("raw-event-consumer-" + i, List.of(Topics.EVENTS_RAW), consumerSettings, producer, handler,
                    registry, "cdp.profile"));
        }
        loops.forEach(ConsumerLoop::start);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        for (ConsumerLoop<Read> loop : loops) {
            loop.stop();
        }
        producer.close(Duration.ofSeconds(10));
    }

    /** Null while every loop is storing; otherwise why one waits (for the readiness check). */
    public String unavailable() {
        return loops.stream().map(ConsumerLoop::unavailable).filter(reason -> reason != null).findFirst().orElse(null);
    }

    public Instant lastBatchAt() {
        return loops.stream().map(ConsumerLoop::lastBatchAt).filter(at -> at != null).max(Instant::compareTo).orElse(null);
    }
}
