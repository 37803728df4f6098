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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns what happens to customers into customers for syncs to reconsider (export.sync_changes): every membership
 * change of a synced segment ({@code cdp.segments.membership}), and every consent, identifier or merge change of a
 * customer some sync's audience holds ({@code cdp.profiles.changed}, so a withdrawn consent removes the customer
 * even when the segment does not look at consent). A change noted twice is noted once. When the database is away,
 * a batch is tried again until it is stored, so no change is lost; offsets are committed only after.
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

    public ChangeConsumers(Ledger ledger, ObjectMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /** Before the connector's first fetch: Kafka's client picks its LZ4 decoder once (see {@link NativeLz4}). */
    static void loadNativeLz4(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent starting) {
        NativeLz4.load();
    }

    @Incoming("memberships")
    public Uni<Void> memberships(List<String> messages) {
        List<UUID> segmentIds = new ArrayList<>(messages.size());
        List<UUID> customerIds = new ArrayList<>(messages.size());
        for (String message : messages) {
            MembershipChanged change = read(message, MembershipChanged.class);
            if (change != null && change.segmentId() != null && change.customerId() != null) {
                segmentIds.add(change.segmentId());
                customerIds.add(change.customerId());
            }
        }
        if (segmentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return stored(() -> ledger.noteMemberships(segmentIds, customerIds), "membership changes");
    }

    @Incoming("profile-changes")
    public Uni<Void> profileChanges(List<String> messages) {
        List<UUID> customerIds = new ArrayList<>();
        for (String message : messages) {
            ProfileChanged change = read(message, ProfileChanged.class);
            if (change == null || change.customerId() == null || change.changes() == null
                    || change.changes().stream().noneMatch(RELEVANT::contains)) {
                continue;
            }
            customerIds.add(change.customerId());
            if (change.mergedFrom() != null) {
                customerIds.addAll(change.mergedFrom());
            }
        }
        if (customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return stored(() -> ledger.noteHeld(customerIds), "profile changes");
    }

    private Uni<Void> stored(java.util.function.Supplier<Uni<Integer>> write, String what) {
        return Uni.createFrom().deferred(() -> write.get())
                .onFailure().invoke(e -> Log.warnf("Could not note %s for the syncs (tried again): %s", what, e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely()
                .replaceWithVoid();
    }

    /** The message, or null for one that does not parse (it is skipped; its content is not logged). */
    private <T> T read(String message, Class<T> type) {
        try {
            return json.readValue(message, type);
        } catch (IOException e) {
            Log.warnf("Skipped a %s message that does not parse", type.getSimpleName());
            return null;
        }
    }
}
