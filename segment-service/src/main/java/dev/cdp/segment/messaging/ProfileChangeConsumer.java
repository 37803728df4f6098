package dev.cdp.segment.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.ProfileChanged;
import dev.cdp.events.Topics;
import dev.cdp.kafka.BatchHandler;
import dev.cdp.kafka.ConsumerLoop;
import dev.cdp.kafka.Unreadable;
import dev.cdp.segment.config.SegmentConfig;
import dev.cdp.segment.service.SegmentService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps segments current as profiles change: each batch of {@code cdp.profiles.changed} re-evaluates the changed
 * customers (and the ones merged into them, who leave every segment) against every evaluated segment, on a
 * {@link ConsumerLoop}: the offsets are committed after the re-evaluation, which is retried while PostgreSQL is away.
 * Re-evaluating twice changes nothing, so a crash that repeats a batch is harmless. A record that is not a profile
 * change, or whose customer cannot be re-evaluated, goes to the dead letters with the reason.
 */
@ApplicationScoped
@RegisterForReflection(targets = ProfileChanged.class) // read by Jackson in native images
public class ProfileChangeConsumer implements BatchHandler<ProfileChanged> {

    private static final Duration REEVALUATION_TIMEOUT = Duration.ofSeconds(60);

    private final SegmentService service;
    private final ObjectMapper json;
    private final SegmentConfig config;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    private KafkaProducer<String, byte[]> deadLetters;
    private ConsumerLoop<ProfileChanged> loop;

    public ProfileChangeConsumer(SegmentService service, ObjectMapper json, SegmentConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.service = service;
        this.json = json;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void start(@Observes StartupEvent started) {
        NativeLz4.load();
        Map<String, Object> producerSettings = new HashMap<>(config.producer());
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        deadLetters = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> settings = new HashMap<>(config.consumer());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        loop = new ConsumerLoop<>("profile-change-consumer", List.of(Topics.PROFILES_CHANGED), settings, deadLetters, this, registry,
                "cdp.segment");
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop();
        deadLetters.close(Duration.ofSeconds(10));
    }

    /** Null while consuming; otherwise why it waits (for the readiness check). */
    public String unavailable() {
        return loop == null ? "starting" : loop.unavailable();
    }

    @Override
    public ProfileChanged read(ConsumerRecord<String, byte[]> record) throws Unreadable {
        ProfileChanged change;
        try {
            change = record.value() == null ? null : json.readValue(record.value(), ProfileChanged.class);
        } catch (IOException e) {
            throw new Unreadable("not a profile change: " + e.getMessage());
        }
        if (change == null || change.customerId() == null) {
            throw new Unreadable("not a profile change: customerId is required");
        }
        return change;
    }

    @Override
    public Processed<ProfileChanged> process(List<Item<ProfileChanged>> items) {
        Set<UUID> customers = new LinkedHashSet<>();
        for (Item<ProfileChanged> item : items) {
            customers.add(item.value().customerId());
            if (item.value().mergedFrom() != null) {
                customers.addAll(item.value().mergedFrom());
            }
        }
        service.reevaluate(List.copyOf(customers)).await().atMost(REEVALUATION_TIMEOUT);
        return Processed.done();
    }
}
