package dev.cdp.export.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.MembershipChanged;
import dev.cdp.events.NativeLz4;
import dev.cdp.events.ProfileChanged;
import dev.cdp.export.sync.Ledger;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns what happens to customers into customers for syncs to reconsider (export.sync_changes): every membership
 * change of a synced segment ({@code cdp.segments.membership}), and every consent, identifier or merge change of a
 * customer some sync's audience holds ({@code cdp.profiles.changed}, so a withdrawn consent removes the customer
 * even when the segment does not look at consent). A change noted twice is noted once. When the database is away,
 * a batch is tried again until it is stored, so no change is lost; offsets are committed only after. A record that is
 * not such a change goes to the dead letters with the reason ({@link DeadLetterChannel}).
 */
@ApplicationScoped
@RegisterForReflection(targets = {MembershipChanged.class, ProfileChanged.class}) // read by Jackson in native images
public class ChangeConsumers {

    /** The profile changes that can change what a platform audience should hold. */
    static final Set<String> RELEVANT = Set.of("consent", "profile", "identity", "merge", ProfileChanged.ERASED);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final DeadLetterChannel deadLetters;

    public ChangeConsumers(Ledger ledger, ObjectMapper json, DeadLetterChannel deadLetters) {
        this.ledger = ledger;
        this.json = json;
        this.deadLetters = deadLetters;
    }

    /** Before the connector's first fetch: Kafka's client picks its LZ4 decoder once (see {@link NativeLz4}). */
    static void loadNativeLz4(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent starting) {
        NativeLz4.load();
    }

    @Incoming("memberships")
    public Uni<Void> memberships(ConsumerRecords<String, byte[]> records) {
        Map<ConsumerRecord<String, byte[]>, String> dead = new LinkedHashMap<>();
        List<UUID> segmentIds = new ArrayList<>(records.count());
        List<UUID> customerIds = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            MembershipChanged change = read(record, MembershipChanged.class, dead);
            if (change == null) {
                continue;
            }
            if (change.segmentId() == null || change.customerId() == null) {
                dead.put(record, "not a membership change: segmentId and customerId are required");
                continue;
            }
            segmentIds.add(change.segmentId());
            customerIds.add(change.customerId());
        }
        return deadLetters.send(dead).chain(() -> segmentIds.isEmpty() ? Uni.createFrom().voidItem()
                : stored(() -> ledger.noteMemberships(segmentIds, customerIds), "membership changes"));
    }

    @Incoming("profile-changes")
    public Uni<Void> profileChanges(ConsumerRecords<String, byte[]> records) {
        Map<ConsumerRecord<String, byte[]>, String> dead = new LinkedHashMap<>();
        List<UUID> customerIds = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            ProfileChanged change = read(record, ProfileChanged.class, dead);
            if (change == null) {
                continue;
            }
            if (change.customerId() == null || change.changes() == null) {
                dead.put(record, "not a profile change: customerId and changes are required");
                continue;
            }
            if (change.changes().stream().noneMatch(RELEVANT::contains)) {
                continue;
            }
            customerIds.add(change.customerId());
            if (change.mergedFrom() != null) {
                customerIds.addAll(change.mergedFrom());
            }
        }
        return deadLetters.send(dead).chain(() -> customerIds.isEmpty() ? Uni.createFrom().voidItem()
                : stored(() -> ledger.noteHeld(customerIds), "profile changes"));
    }

    private Uni<Void> stored(java.util.function.Supplier<Uni<Integer>> write, String what) {
        return Uni.createFrom().deferred(() -> write.get())
                .onFailure().invoke(e -> Log.warnf("Could not note %s for the syncs (tried again): %s", what, e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely()
                .replaceWithVoid();
    }

    /** The record's message, or null for one that does not parse, noted in {@code dead} with the reason. */
    private <T> T read(ConsumerRecord<String, byte[]> record, Class<T> type, Map<ConsumerRecord<String, byte[]>, String> dead) {
        try {
            T message = record.value() == null ? null : json.readValue(record.value(), type);
            if (message == null) {
                dead.put(record, "the record has no value");
            }
            return message;
        } catch (IOException e) {
            dead.put(record, "not a " + type.getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }
}
