package dev.cdp.profile.service;

import dev.cdp.events.StoredEvent;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.repository.BatchRepository;
import dev.cdp.profile.repository.BatchRepository.OutboxEvent;
import dev.cdp.profile.service.BatchPlanner.Plan;
import dev.cdp.profile.service.BatchPlanner.Stored;
import dev.cdp.profile.service.EventReader.Read;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stores a batch of read events in one transaction: messages naming an erased identifier are dropped ({@link
 * Suppressions}), then bronze (which drops messages stored before, though their interactions and transactions are
 * sent to the platforms again: see {@link Outcome}), then the
 * profiles, identities, activity and facts the planner works out, and the change events into the outbox. Redelivered
 * messages change nothing; a batch either lands whole or not at all. Batches run concurrently: each locks the
 * customers it touches, and one planned on data another writer changed first fails with {@link WriteConflict}.
 */
@ApplicationScoped
public class EventStore {

    private final Pool pool;
    private final BatchRepository repository;
    private final Suppressions suppressions;

    public EventStore(Pool pool, BatchRepository repository, Suppressions suppressions) {
        this.pool = pool;
        this.repository = repository;
        this.suppressions = suppressions;
    }

    /**
     * What a stored batch leaves to send once its transaction has committed: the change events written to the outbox,
     * and the interactions and transactions it stored, for the platforms' conversion APIs. Those of messages stored
     * before are in {@code events} again: a crash between a commit and the send would otherwise lose them, and the
     * platforms de-duplicate on the message id.
     */
    public record Outcome(List<OutboxEvent> changes, List<StoredEvent> events) {

        public static final Outcome NOTHING = new Outcome(List.of(), List.of());
    }

    public Uni<Outcome> store(List<Read> batch) {
        return pool.withTransaction(connection -> suppressions.fence(connection)
                .map(current -> suppressions.kept(batch, current))
                .chain(reads -> reads.isEmpty() ? Uni.createFrom().item(Outcome.NOTHING) : store(connection, reads)));
    }

    private Uni<Outcome> store(SqlConnection connection, List<Read> reads) {
        return repository.insertRaw(connection, reads)
                .chain(newRows -> {
                    List<Stored> stored = new ArrayList<>();
                    List<Read> repeated = new ArrayList<>();
                    for (int i = 0; i < reads.size(); i++) {
                        Long rawEventId = newRows.get(i);
                        if (rawEventId != null) {
                            stored.add(new Stored(reads.get(i), rawEventId));
                        } else if (reads.get(i).interaction() != null || reads.get(i).transaction() != null) {
                            repeated.add(reads.get(i));
                        }
                    }
                    if (stored.isEmpty() && repeated.isEmpty()) {
                        return Uni.createFrom().item(Outcome.NOTHING);
                    }
                    Set<Identity> wanted = identifiersOf(stored);
                    repeated.forEach(read -> wanted.addAll(read.identifiers()));
                    // Lock the customers first, then read their identities: what another writer committed meanwhile
                    // is seen, and nobody changes these customers until this transaction ends.
                    return repository.lockCustomers(connection, wanted)
                            .chain(states -> repository.identitiesOf(connection, states.keySet()).chain(identities -> {
                                Plan plan = new BatchPlanner(LocalDate.now(ZoneOffset.UTC), identities.owners(),
                                        identities.identitiesOf(), states).plan(stored, repeated);
                                if (stored.isEmpty()) {
                                    return Uni.createFrom().item(new Outcome(List.of(), plan.storedEvents()));
                                }
                                return repository.write(connection, plan).map(changes -> new Outcome(changes, plan.storedEvents()));
                            }));
                });
    }

    /** Every identifier the batch names; an alias's previousId may be an anonymousId or a userId. */
    private static Set<Identity> identifiersOf(List<Stored> stored) {
        Set<Identity> identifiers = new LinkedHashSet<>();
        for (Stored message : stored) {
            identifiers.addAll(message.read().identifiers());
            String previousId = message.read().previousId();
            if (previousId != null) {
                identifiers.add(new Identity(IdentityType.anonymousId, previousId));
                identifiers.add(new Identity(IdentityType.userId, previousId));
            }
        }
        return identifiers;
    }

    /** Change events left unsent, oldest first. */
    public Uni<List<OutboxEvent>> pendingChanges(int limit) {
        return pool.withConnection(connection -> repository.pendingOutbox(connection, limit));
    }

    public Uni<Void> changesSent(List<Long> outboxIds) {
        return outboxIds.isEmpty() ? Uni.createFrom().voidItem()
                : pool.withConnection(connection -> repository.deleteOutbox(connection, outboxIds));
    }
}
