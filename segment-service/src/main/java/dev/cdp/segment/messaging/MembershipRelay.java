package dev.cdp.segment.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.MembershipChanged;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.Topics;
import dev.cdp.segment.config.SegmentConfig;
import dev.cdp.segment.repository.SegmentRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the membership changes evaluations wrote to the outbox to {@code cdp.segments.membership}, keyed by customer,
 * and deletes them once Kafka has them: right after an evaluation, and every few seconds for whatever a crash or a
 * Kafka outage left behind.
 */
@ApplicationScoped
@RegisterForReflection(targets = MembershipChanged.class) // written by Jackson in native images
public class MembershipRelay {

    static final int BATCH = 5000;

    private final SegmentRepository segments;
    private final ObjectMapper json;
    private final SegmentConfig config;
    private final String bootstrapServers;
    private final AtomicBoolean relaying = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private KafkaProducer<String, byte[]> producer;

    public MembershipRelay(SegmentRepository segments, ObjectMapper json, SegmentConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.segments = segments;
        this.json = json;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent started) {
        NativeLz4.load();
        Map<String, Object> settings = new HashMap<>(config.producer());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    void stop(@Observes ShutdownEvent stopping) {
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * Starts sending what waits, without waiting for it: an evaluation's answer does not depend on Kafka. Asked while
     * a relay runs, it runs once more after it, so nothing committed meanwhile waits for the schedule.
     */
    public void relaySoon() {
        relay().subscribe().with(done -> { }, e -> { });
    }

    /** Sends everything waiting, one relay at a time per replica (other replicas skip the rows it holds). */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> relay() {
        if (!relaying.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        return relayBatch()
                .onFailure().invoke(e -> Log.warnf("Membership changes stay in the outbox until Kafka takes them: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .onTermination().invoke(() -> relaying.set(false))
                .chain(() -> again.get() ? relay() : Uni.createFrom().voidItem());
    }

    private Uni<Integer> relayBatch() {
        return segments.relayChanges(BATCH, this::send).chain(sent -> sent == BATCH ? relayBatch() : Uni.createFrom().item(sent));
    }

    /** Off the event loop: the producer may block while it looks for the broker. */
    private Uni<Void> send(List<MembershipChanged> changes) {
        return Uni.createFrom().item(changes).emitOn(Infrastructure.getDefaultWorkerPool()).chain(this::sendAll);
    }

    private Uni<Void> sendAll(List<MembershipChanged> changes) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[changes.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks[i] = ack;
            MembershipChanged change = changes.get(i);
            producer.send(new ProducerRecord<>(Topics.SEGMENTS_MEMBERSHIP, change.customerId().toString(), bytes(change)), (metadata, e) -> {
                if (e != null) {
                    ack.completeExceptionally(e);
                } else {
                    ack.complete(null);
                }
            });
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks)).ifNoItem().after(Duration.ofSeconds(30)).fail().replaceWithVoid();
    }

    private byte[] bytes(MembershipChanged change) {
        try {
            return json.writeValueAsString(change).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
