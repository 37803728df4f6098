package dev.cdp.profile.service;

import dev.cdp.events.StoredEvent;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.repository.BatchRepository;
import dev.cdp.profile.repository.BatchRepository.Identities;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a batch of read events in one transaction: messages naming an erased identifier are dropped ({@link
 * Suppressions}); the customers the rest name are locked, and the messages of customers another writer holds are
 * deferred; then bronze (which drops messages stored before, though their interactions and transactions are sent to
 * the platforms again: see {@link Outcome}), then the profiles, identities, activity and facts the planner works
 * out, and the change events into the outbox. Redelivered messages change nothing; a batch either lands whole or not
 * at all. Batches run concurrently without waiting for each other; one planned on data another writer changed first
 * (a customer merged, an identifier claimed) fails with {@link WriteConflict} and is planned again.
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
     * platforms de-duplicate on the message id. {@code deferred} are the reads left for a later batch because
     * another writer holds one of their customers.
     */
    public record Outcome(List<OutboxEvent> changes, List<StoredEvent> events, List<Read> deferred) {

        public static final Outcome NOTHING = new Outcome(List.of(), List.of(), List.of());

        static Outcome deferring(List<Read> deferred) {
            return new Outcome(List.of(), List.of(), deferred);
        }
    }

    /**
     * Stores what it can of the batch. With {@code wait}, it waits for customers another writer holds rather than
     * deferring their messages (for messages deferred several times already, so none waits for ever).
     */
    public Uni<Outcome> store(List<Read> batch, boolean wait) {
        return pool.withTransaction(connection -> suppressions.fence(connection)
                .map(current -> suppressions.kept(batch, current))
                .chain(reads -> reads.isEmpty() ? Uni.createFrom().item(Outcome.NOTHING) : store(connection, reads, wait)));
    }

    /**
     * Locks the customers the batch names first (skipping those another writer holds: their messages wait for a
     * later batch, so two writers never wait for each other), reads their identities, then stores the rest.
     */
    private Uni<Outcome> store(SqlConnection connection, List<Read> reads, boolean wait) {
        Set<Identity> wanted = new LinkedHashSet<>();
        reads.forEach(read -> wanted.addAll(identifiersOf(read)));
        return repository.lockOwners(connection, wanted, wait)
                .chain(owners -> repository.identitiesOf(connection, owners.all())
                        .chain(identities -> lockClaims(connection, wanted, identities, wait).map(unclaimable -> {
                            Map<UUID, CustomerState> states = owners.locked();
                            List<Read> ready = new ArrayList<>(reads.size());
                            List<Read> deferred = new ArrayList<>();
                            for (Read read : reads) {
                                boolean held = identifiersOf(read).stream().anyMatch(identity -> unclaimable.contains(identity)
                                        || identities.owners().containsKey(identity) && !states.containsKey(identities.owners().get(identity)));
                                (held ? deferred : ready).add(read);
                            }
                            return new Split(states, identities, ready, deferred);
                        })))
                .chain(split -> store(connection, split));
    }

    /** A batch's messages that can be stored now, and those deferred, with the customers and identities locked for them. */
    private record Split(Map<UUID, CustomerState> states, Identities identities, List<Read> ready, List<Read> deferred) {
    }

    /**
     * Locks the right to claim the batch's new identifiers; answers those it cannot claim now: another writer is
     * claiming one of their bucket, or claimed them since they were read as new. With {@code wait}, a claim made
     * meanwhile plans the batch again instead.
     */
    private Uni<Set<Identity>> lockClaims(SqlConnection connection, Set<Identity> wanted, Identities identities, boolean wait) {
        List<Identity> unowned = wanted.stream().filter(identity -> !identities.owners().containsKey(identity)).toList();
        if (unowned.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return repository.lockClaims(connection, unowned, wait).chain(held -> {
            List<Identity> claimable = unowned.stream().filter(identity -> !held.contains(identity)).toList();
            // a statement of its own: it sees what was committed before the locks were granted
            return claimable.isEmpty() ? Uni.createFrom().item(held) : repository.owned(connection, claimable).map(taken -> {
                if (wait && !taken.isEmpty()) {
                    throw new WriteConflict("claimed", "another writer claimed an identifier of this batch first");
                }
                Set<Identity> unclaimable = new HashSet<>(held);
                unclaimable.addAll(taken);
                return unclaimable;
            });
        });
    }

    private Uni<Outcome> store(SqlConnection connection, Split split) {
        List<Read> ready = split.ready();
        List<Read> deferred = split.deferred();
        if (ready.isEmpty()) {
            return Uni.createFrom().item(Outcome.deferring(deferred));
        }
        return repository.insertRaw(connection, ready).chain(newRows -> {
            List<Stored> stored = new ArrayList<>();
            List<Read> repeated = new ArrayList<>();
            for (int i = 0; i < ready.size(); i++) {
                Long rawEventId = newRows.get(i);
                if (rawEventId != null) {
                    stored.add(new Stored(ready.get(i), rawEventId));
                } else if (ready.get(i).interaction() != null || ready.get(i).transaction() != null) {
                    repeated.add(ready.get(i));
                }
            }
            if (stored.isEmpty() && repeated.isEmpty()) {
                return Uni.createFrom().item(Outcome.deferring(deferred));
            }
            Plan plan = new BatchPlanner(LocalDate.now(ZoneOffset.UTC), split.identities().owners(), split.identities().identitiesOf(),
                    split.states()).plan(stored, repeated);
            if (stored.isEmpty()) {
                return Uni.createFrom().item(new Outcome(List.of(), plan.storedEvents(), deferred));
            }
            return repository.write(connection, plan).map(changes -> new Outcome(changes, plan.storedEvents(), deferred));
        });
    }

    /** Every identifier a message names; an alias's previousId may be an anonymousId or a userId. */
    private static List<Identity> identifiersOf(Read read) {
        if (read.previousId() == null) {
            return read.identifiers();
        }
        List<Identity> identifiers = new ArrayList<>(read.identifiers());
        identifiers.add(new Identity(IdentityType.anonymousId, read.previousId()));
        identifiers.add(new Identity(IdentityType.userId, read.previousId()));
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
