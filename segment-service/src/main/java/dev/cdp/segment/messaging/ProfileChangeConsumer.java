package dev.cdp.segment.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.ProfileChanged;
import dev.cdp.events.Topics;
import dev.cdp.segment.config.SegmentConfig;
import dev.cdp.segment.service.SegmentService;
import io.quarkus.logging.Log;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps segments current as profiles change: each batch of {@code cdp.profiles.changed} re-evaluates the changed
 * customers (and the ones merged into them, who leave every segment) against every evaluated segment, then commits
 * the offsets. Re-evaluating twice changes nothing, so a crash that repeats a batch is harmless. While PostgreSQL
 * is away the batch is retried with back-off, polling paused so the consumer keeps its partitions.
 */
@ApplicationScoped
@RegisterForReflection(targets = ProfileChanged.class) // read by Jackson in native images
public class ProfileChangeConsumer {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SegmentService service;
    private final ObjectMapper json;
    private final SegmentConfig config;
    private final String bootstrapServers;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private volatile boolean running = true;
    private volatile String unavailable;

    public ProfileChangeConsumer(SegmentService service, ObjectMapper json, SegmentConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.service = service;
        this.json = json;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent started) {
        NativeLz4.load();
        Map<String, Object> settings = new HashMap<>(config.consumer());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "profile-change-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Null while consuming; otherwise why it waits (for the readiness check). */
    public String unavailable() {
        return unavailable;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.PROFILES_CHANGED));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<UUID> customers = List.copyOf(customersOf(records));
                Duration backoff = Duration.ofMillis(500);
                while (true) {
                    try {
                        service.reevaluate(customers).await().atMost(Duration.ofSeconds(60));
                        if (unavailable != null) {
                            unavailable = null;
                            consumer.resume(consumer.assignment());
                        }
                        break;
                    } catch (RuntimeException e) {
                        unavailable = "re-evaluation failing: " + e.getMessage();
                        Log.warnf("Re-evaluating %d changed customers failed (%s); retrying in %d ms", customers.size(), e.getMessage(), backoff.toMillis());
                        consumer.pause(consumer.assignment());
                        consumer.poll(backoff);
                        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    }
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            Log.error("The profile change consumer stopped", e);
            unavailable = "stopped: " + e.getMessage();
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** The changed customers and those merged into them; a record that cannot be read is skipped with a warning. */
    private Set<UUID> customersOf(ConsumerRecords<String, byte[]> records) {
        Set<UUID> customers = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                ProfileChanged change = json.readValue(record.value(), ProfileChanged.class);
                customers.add(change.customerId());
                if (change.mergedFrom() != null) {
                    customers.addAll(change.mergedFrom());
                }
            } catch (IOException | RuntimeException e) {
                Log.warnf("Skipping an unreadable record at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        return customers;
    }
}
