package dev.cdp.export.sync;

import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.delivery.AudienceBatch;
import dev.cdp.export.delivery.AudienceConnector;
import dev.cdp.export.delivery.AudienceConnector.BatchResult;
import dev.cdp.export.delivery.Connectors;
import dev.cdp.export.delivery.Delivery;
import dev.cdp.export.delivery.DeliveryException;
import dev.cdp.export.delivery.Target;
import dev.cdp.export.destination.Destination;
import dev.cdp.export.destination.DestinationService;
import dev.cdp.export.file.AudienceRows;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Identifier;
import dev.cdp.export.segment.SegmentClient;
import dev.cdp.export.segment.SegmentClient.Lookup;
import dev.cdp.export.sync.Ledger.Inflight;
import dev.cdp.export.sync.SyncRuns.Claimed;
import dev.cdp.export.sync.SyncRuns.RunCounters;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs syncs on threads of its own. A FULL run streams the segment's members, keeps those with advertising consent
 * and sends their rows in batches (a replacing upload session where the platform has one), then removes what the
 * ledger holds that the upload did not see. An INCREMENTAL run reconsiders only the customers noted since the last
 * run: it asks segment-service about them now and sends the difference to what the ledger says the platform holds.
 *
 * <p>Every batch is written as in flight before it is sent and confirmed in the ledger after the platform took it,
 * with the run's counters and resume point in the same transaction, so a run cut off by a crash resumes where it
 * stopped: adds that were at the platform are taken as delivered (never sent twice), removals are sent again (never
 * lost). A full upload is a pipeline: the next batch is read, hashed and recorded (marked not sent) while the previous
 * one is at the platform, and the ledger write of each lands while the next one goes. A destination that refuses its credentials needs attention and
 * its syncs wait; one that keeps failing is left for the next run, its customers still noted.
 */
@ApplicationScoped
public class SyncRunner {

    static final int LOOKUP_PAGE = 1000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SyncRuns runs;
    private final Ledger ledger;
    private final SegmentClient segments;
    private final Connectors connectors;
    private final Delivery delivery;
    private final DestinationService destinations;
    private final DeliveryConfig config;
    private final Semaphore free;
    private final ExecutorService threads;
    /** A full upload sends a batch here while its runner reads the next one. */
    private final ExecutorService senders;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public SyncRunner(SyncRuns runs, Ledger ledger, SegmentClient segments, Connectors connectors, Delivery delivery,
            DestinationService destinations, DeliveryConfig config) {
        this.runs = runs;
        this.ledger = ledger;
        this.segments = segments;
        this.connectors = connectors;
        this.delivery = delivery;
        this.destinations = destinations;
        this.config = config;
        this.free = new Semaphore(config.workers());
        this.threads = Executors.newFixedThreadPool(config.workers(), task -> new Thread(task, "sync-runner"));
        this.senders = Executors.newFixedThreadPool(config.workers(), task -> new Thread(task, "sync-sender"));
    }

    void start(@Observes StartupEvent started) {
        dispatch();
    }

    /** Lets running batches finish, then puts their runs back in the queue: the next instance resumes them. */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        this.stopping = true;
        threads.shutdown();
        if (!threads.awaitTermination(20, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            senders.shutdownNow();
        }
        senders.shutdown();
    }

    /** Starts queued runs while this instance has a free worker. */
    public void dispatch() {
        while (!stopping && free.tryAcquire()) {
            try {
                threads.execute(this::runNext);
            } catch (RuntimeException e) {
                free.release();
                return;
            }
        }
    }

    /** Queues what is due (on-change syncs with waiting changes, interval syncs), resumes abandoned runs, keeps ours alive. */
    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void housekeeping() {
        if (stopping) {
            return;
        }
        try {
            runs.heartbeat(running);
            int resumed = runs.requeueAbandoned(config.staleAfter());
            if (resumed > 0) {
                Log.warnf("%d sync run(s) lost their runner and are queued to resume", resumed);
            }
            runs.enqueueDue(config.onChangeDelay());
        } catch (RuntimeException e) {
            Log.warnf("Sync housekeeping failed: %s", e.getMessage());
        }
        dispatch();
    }

    private void runNext() {
        try {
            Optional<Claimed> claimed = runs.claim();
            if (claimed.isEmpty()) {
                return;
            }
            running.add(claimed.get().id());
            try {
                run(claimed.get());
            } finally {
                running.remove(claimed.get().id());
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not take the next sync run: %s", e.getMessage());
            return;
        } finally {
            free.release();
        }
        dispatch();
    }

    /** Everything a run works with. */
    private final class Run {
        final Claimed claimed;
        final Sync sync;
        final AudienceConnector connector;
        final AudienceRows rows;
        final RunCounters counters;
        Target target;
        /** Batch numbers: unique in the run, taken when a batch is recorded in flight (a full upload's ahead of sending). */
        final AtomicInteger numbers = new AtomicInteger();
        /** The ledger write of the last batch the platform took; one at a time, in order. */
        CompletableFuture<Void> confirming = CompletableFuture.completedFuture(null);

        Run(Claimed claimed, Sync sync, Destination destination) {
            this.claimed = claimed;
            this.counters = claimed.counters();
            this.sync = sync;
            this.connector = connectors.of(destination.kind);
            this.rows = AudienceRows.of(destination.kind.rows(), identifiers(sync));
            this.target = destinations.target(destination).forRun(sync.id, claimed.id(), sync.platformAudienceId);
        }

        /** Waits for the previous batch's ledger write, then lets this one land while the run goes on. */
        void confirming(Inflight batch) {
            confirmed();
            confirming = ledger.confirm(sync.id, batch, runs.progressWith(claimed.id(), counters)).subscribeAsCompletionStage();
        }

        /** Waits until the ledger holds every batch the platform took. */
        void confirmed() {
            await(confirming);
        }

        /** After a failure: lets an outstanding ledger write land before the run ends (its outcome is for the next run). */
        void settleConfirmations() {
            try {
                confirmed();
            } catch (RuntimeException e) {
                Log.warnf("Sync %s: a delivered batch is not in the ledger yet (%s); the next run takes it from the in-flight record",
                        sync.id, e.getMessage());
            }
        }

        /** Stores the counters now (each confirmed batch stores them with its ledger write). */
        void progress() {
            runs.progress(claimed.id(), counters);
        }
    }

    /** Stops a run between batches when this instance shuts down. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("export-service is stopping", null, false, false);
        }
    }

    private void run(Claimed claimed) {
        Sync sync;
        Destination destination;
        try {
            sync = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Sync.<Sync>findById(claimed.syncId())));
            destination = sync == null ? null
                    : VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Destination.<Destination>findById(sync.destinationId)));
        } catch (Throwable e) {
            Log.warnf("Sync run %s could not load its sync: %s", claimed.id(), e.getMessage());
            runs.requeue(claimed.id());
            return;
        }
        RunCounters none = new RunCounters();
        if (sync == null || destination == null) {
            runs.finish(claimed.id(), none, SyncRun.Status.FAILED, "the sync or its destination was deleted");
            return;
        }
        if (!sync.enabled) {
            runs.finish(claimed.id(), none, SyncRun.Status.FAILED, "the sync is disabled");
            return;
        }
        if (destination.status == Destination.Status.NEEDS_ATTENTION) {
            runs.finish(claimed.id(), none, SyncRun.Status.FAILED, "destination " + destination.id + " needs attention: " + destination.attention);
            return;
        }
        Run run;
        try {
            run = new Run(claimed, sync, destination);
        } catch (RuntimeException e) {
            runs.finish(claimed.id(), none, SyncRun.Status.FAILED, e.getMessage());
            return;
        }
        Log.infof("Sync %s run %s (%s) started: segment %s to destination %s (%s)", sync.id, claimed.id(), claimed.kind(), sync.segmentId,
                destination.id, destination.kind);
        try {
            recover(run);
            run.numbers.set(run.counters.batchesSent);
            run.progress();
            if (run.target.audienceId() == null) {
                String audience = delivery.call(run.target, "create-audience", 0, () -> run.connector.createAudience(run.target, sync.audienceName));
                runs.audienceCreated(sync.id, audience);
                run.target = run.target.withAudience(audience);
            }
            if (claimed.kind() == SyncRun.Kind.FULL) {
                full(run);
            } else {
                incremental(run);
            }
            run.confirmed();
            run.counters.coverage = coverage(run.rows);
            SyncRun.Status status = run.counters.failed > 0 ? SyncRun.Status.PARTIAL : SyncRun.Status.SUCCEEDED;
            runs.finish(claimed.id(), run.counters, status, run.counters.failed > 0 ? run.counters.failed + " row(s) refused by the platform" : null);
            Log.infof("Sync %s run %s %s: %d added, %d removed, %d failed, %d unconfirmed adds", sync.id, claimed.id(), status,
                    run.counters.added, run.counters.removed, run.counters.failed, run.counters.unconfirmedAdds);
        } catch (Stopping e) {
            run.settleConfirmations();
            run.progress();
            runs.requeue(claimed.id());
            Log.infof("Sync run %s stopped with export-service; queued to resume", claimed.id());
        } catch (DeliveryException.AuthRefused e) {
            destinations.needsAttention(destination.id, e.getMessage()).await().atMost(WAIT);
            fail(run, "the platform refused the destination's credentials: " + e.getMessage());
        } catch (DeliveryException e) {
            fail(run, e.getMessage() + " (the customers not sent are kept for the next run)");
        } catch (IOException | RuntimeException e) {
            fail(run, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.requeue(claimed.id());
        }
    }

    private void fail(Run run, String why) {
        run.settleConfirmations();
        Log.warnf("Sync %s run %s failed: %s", run.sync.id, run.claimed.id(), why);
        run.counters.coverage = coverage(run.rows);
        runs.finish(run.claimed.id(), run.counters, SyncRun.Status.FAILED, why);
    }

    /**
     * Settles what a crash left in flight: adds are taken as delivered, removals are sent again. A full upload of this
     * run resumes after the batch it had out, and numbers its next batch after it (Meta's batch_seq must not repeat).
     */
    private void recover(Run run) {
        ledger.dropUnsent(run.sync.id);
        for (Inflight batch : ledger.inflight(run.sync.id)) {
            if (batch.runId().equals(run.claimed.id())) {
                run.counters.batchesSent = Math.max(run.counters.batchesSent, batch.batch());
            }
            if ("ADD".equals(batch.action())) {
                ledger.confirmed(run.sync.id, batch);
                run.counters.unconfirmedAdds += batch.customerIds().size();
                if (batch.runId().equals(run.claimed.id()) && run.claimed.kind() == SyncRun.Kind.FULL) {
                    UUID last = batch.customerIds().get(batch.customerIds().size() - 1); // members come in id order
                    if (run.counters.resumeAfter == null || inPostgresOrder(last, run.counters.resumeAfter) > 0) {
                        run.counters.resumeAfter = last;
                    }
                }
                Log.warnf("Sync %s: %d add(s) cut off by a crash are taken as delivered, not sent again", run.sync.id, batch.customerIds().size());
            } else {
                AudienceBatch again = new AudienceBatch(batch.runId() + "-" + batch.batch(), run.rows.header(), batch.customerIds(), batch.rows(), null);
                delivery.call(run.target, "remove", again.size(), () -> run.connector.remove(run.target, again));
                ledger.confirmed(run.sync.id, batch);
                run.counters.removed += again.size();
                Log.infof("Sync %s: %d removal(s) cut off by a crash sent again", run.sync.id, again.size());
            }
        }
    }

    /**
     * Streams the members and sends them in batches: one batch is at the platform (on a sender thread) while the
     * next is read, normalized and hashed here. Only the sender touches the run's counters until the upload is
     * sent; the reading counts travel with each batch.
     */
    private void full(Run run) throws IOException, InterruptedException {
        boolean replace = run.connector.replacesOnFullUpload();
        long sessionId = run.claimed.sessionId() != null ? run.claimed.sessionId() : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        if (replace && run.claimed.sessionId() == null) {
            runs.session(run.claimed.id(), sessionId);
        }
        long estimated = segments.segment(run.sync.segmentId).await().atMost(WAIT).map(SegmentClient.SegmentInfo::size).orElse(0L);
        int max = run.connector.maxBatch();
        Reading reading = new Reading(run.counters);
        Pending pending = new Pending(max);
        Pending ready = null; // one batch held back, so the last one of a replace session is known to be last
        UUID resumeAfter = run.counters.resumeAfter;
        Sender sender = new Sender(run, replace, sessionId, estimated);
        try (SegmentClient.Members members = segments.members(run.sync.segmentId, true)) {
            while (members.hasNext()) {
                AudienceMember member = members.next();
                if (resumeAfter != null && inPostgresOrder(member.customerId(), resumeAfter) <= 0) {
                    continue; // confirmed before the run was cut off
                }
                reading.membersRead++;
                if (!member.consentAdvertising()) {
                    reading.noConsent++;
                    continue;
                }
                String[] row = run.rows.row(member);
                if (row == null) {
                    reading.noIdentifier++;
                    continue;
                }
                pending.add(member.customerId(), row);
                if (pending.size() == max) {
                    pending.read = reading.counts(run.rows);
                    if (ready != null) {
                        sender.send(ready, false);
                    }
                    ready = pending;
                    pending = new Pending(max);
                }
            }
            pending.read = reading.counts(run.rows);
            if (ready != null) {
                sender.send(ready, pending.size() == 0);
            }
            if (pending.size() > 0) {
                sender.send(pending, true);
            }
            sender.sent();
        } finally {
            sender.settle();
        }
        pending.read.applyTo(run.counters);
        run.confirmed();
        boolean replaced = replace && run.counters.batchesSent > 0;
        dropUnseen(run, replaced);
        ledger.settledAll(run.sync.id, run.claimed.startedAt());
        runs.fullUploadDone(run.sync.id, Instant.now());
    }

    /**
     * Sends a full upload's batches one at a time on a sender thread. Each batch is recorded in flight (not yet sent)
     * by the reading thread while the one before it is at the platform, then marked sent just before it goes; the
     * reading thread waits only when a batch is already out.
     */
    private final class Sender {
        private final Run run;
        private final boolean replace;
        private final long sessionId;
        private final long estimated;
        private Future<?> out = CompletableFuture.completedFuture(null);

        Sender(Run run, boolean replace, long sessionId, long estimated) {
            this.run = run;
            this.replace = replace;
            this.sessionId = sessionId;
            this.estimated = estimated;
        }

        void send(Pending batch, boolean last) throws InterruptedException {
            Inflight inflight = Inflight.of(run.claimed.id(), run.numbers.incrementAndGet(), "ADD", batch.ids, batch.rows);
            CompletableFuture<Void> recorded = ledger.record(inflight, false).subscribeAsCompletionStage();
            // Meta's batch_seq is the batch's number: it goes on from a cut-off session's last batch.
            AudienceBatch.Replace session = replace ? new AudienceBatch.Replace(sessionId, inflight.batch(), last, estimated) : null;
            sent();
            out = senders.submit(() -> {
                if (stopping) {
                    throw new Stopping();
                }
                await(recorded);
                ledger.markSent(inflight);
                deliver(run, inflight, session, batch.read);
            });
        }

        /** Waits for the batch that is out; its failure becomes the run's. */
        void sent() throws InterruptedException {
            try {
                out.get(); // no time limit: a call may wait out a platform's rate limit
            } catch (ExecutionException e) {
                throw failure(e);
            }
        }

        /** After a failure while reading: lets the batch that is out finish, so nothing touches the run after it ends. */
        void settle() throws InterruptedException {
            try {
                out.get();
            } catch (ExecutionException | CancellationException e) {
                // reported by sent(), or the reading failed first and is what the run reports
            }
        }
    }

    /** What the reading of a full upload has counted; a batch carries the counts as of its last member. */
    private static final class Reading {
        long membersRead;
        long noConsent;
        long noIdentifier;

        Reading(RunCounters resumed) {
            membersRead = resumed.membersRead;
            noConsent = resumed.noConsent;
            noIdentifier = resumed.noIdentifier;
        }

        Counts counts(AudienceRows rows) {
            return new Counts(membersRead, noConsent, noIdentifier, coverage(rows));
        }
    }

    private record Counts(long membersRead, long noConsent, long noIdentifier, Map<String, Long> coverage) {
        /** The batch is through: a resumed run starts reading after its last member, with these counts. */
        void passed(RunCounters counters, Inflight batch) {
            applyTo(counters);
            counters.resumeAfter = batch.customerIds().get(batch.customerIds().size() - 1);
        }

        void applyTo(RunCounters counters) {
            counters.membersRead = membersRead;
            counters.noConsent = noConsent;
            counters.noIdentifier = noIdentifier;
            counters.coverage = coverage;
        }
    }

    /**
     * What the ledger holds that this full upload did not send: removed at the platform (MIRROR), or only forgotten
     * when the upload replaced the audience's members; an ADD_ONLY sync without a replace keeps them.
     */
    private void dropUnseen(Run run, boolean replaced) {
        if (!replaced && run.sync.mode == Sync.Mode.ADD_ONLY) {
            return;
        }
        UUID after = null;
        while (true) {
            Map<UUID, String[]> unseen = ledger.sentBefore(run.sync.id, run.claimed.startedAt(), after, run.connector.maxBatch());
            if (unseen.isEmpty()) {
                return;
            }
            List<UUID> ids = new ArrayList<>(unseen.keySet());
            after = ids.get(ids.size() - 1);
            List<String[]> rows = new ArrayList<>(unseen.values());
            if (replaced) {
                ledger.forget(run.sync.id, ids); // the replace removed them
            } else {
                send(run, "REMOVE", ids, rows, null);
            }
        }
    }

    private void incremental(Run run) throws IOException, InterruptedException {
        Instant notedBefore = Instant.now();
        UUID after = null;
        while (true) {
            List<UUID> ids = ledger.changes(run.sync.id, notedBefore, after, LOOKUP_PAGE);
            if (ids.isEmpty()) {
                return;
            }
            after = ids.get(ids.size() - 1);
            Map<UUID, Lookup> now = segments.lookup(run.sync.segmentId, ids);
            Map<UUID, String[]> held = ledger.rows(run.sync.id, ids);
            Pending adds = new Pending(ids.size());
            Pending removes = new Pending(ids.size());
            for (UUID id : ids) {
                Lookup lookup = now.get(id);
                String[] row = null;
                if (lookup != null && lookup.member()) {
                    run.counters.membersRead++;
                    if (!lookup.customer().consentAdvertising()) {
                        run.counters.noConsent++;
                    } else {
                        row = run.rows.row(lookup.customer());
                        if (row == null) {
                            run.counters.noIdentifier++;
                        }
                    }
                }
                String[] had = held.get(id);
                if (row != null) {
                    if (had != null && !Arrays.equals(had, row) && run.sync.mode == Sync.Mode.MIRROR) {
                        removes.add(id, had); // their identifiers changed: the old hashes go, the new ones come
                    }
                    if (had == null || !Arrays.equals(had, row)) {
                        adds.add(id, row);
                    }
                } else if (had != null) {
                    // Gone from the read model (erased, merged) or consent withdrawn: removed in every mode.
                    boolean withdrawn = lookup == null || !lookup.customer().consentAdvertising();
                    if (run.sync.mode == Sync.Mode.MIRROR || withdrawn) {
                        removes.add(id, had);
                    }
                }
            }
            sendAll(run, "REMOVE", removes);
            sendAll(run, "ADD", adds);
            run.confirmed();
            ledger.settled(run.sync.id, ids, notedBefore); // all their batches are in
            run.counters.coverage = coverage(run.rows);
            run.progress();
        }
    }

    private void sendAll(Run run, String action, Pending pending) {
        int max = run.connector.maxBatch();
        for (int from = 0; from < pending.size(); from += max) {
            int to = Math.min(pending.size(), from + max);
            send(run, action, pending.ids.subList(from, to), pending.rows.subList(from, to), null);
        }
    }

    /**
     * One batch: in flight, sent, confirmed. A batch the platform refuses as a whole is split in halves until the
     * refused rows are found (they are counted as failed and not retried: the platform would refuse them again);
     * a replace session's batch cannot be split, so it fails the run.
     */
    private void send(Run run, String action, List<UUID> ids, List<String[]> rows, AudienceBatch.Replace replace) {
        if (stopping) {
            throw new Stopping();
        }
        Inflight inflight = Inflight.of(run.claimed.id(), run.numbers.incrementAndGet(), action, ids, rows);
        ledger.sending(inflight);
        deliver(run, inflight, replace, null);
    }

    /**
     * Sends a batch recorded in flight and counts the answer; the ledger write that confirms it lands with the run's
     * counters (so where a run resumes moves with what the ledger holds) while the run goes on.
     *
     * @param read for a full upload's batch, the reading's counts as of its last member
     */
    private void deliver(Run run, Inflight inflight, AudienceBatch.Replace replace, Counts read) {
        String action = inflight.action();
        run.counters.batchesSent = Math.max(run.counters.batchesSent, inflight.batch());
        AudienceBatch batch = new AudienceBatch(run.claimed.id() + "-" + inflight.batch(), run.rows.header(), inflight.customerIds(),
                inflight.rows(), replace);
        String operation = "ADD".equals(action) ? (replace != null ? "replace" : "add") : "remove";
        BatchResult result;
        try {
            result = delivery.call(run.target, operation, batch.size(),
                    () -> "ADD".equals(action) ? run.connector.add(run.target, batch) : run.connector.remove(run.target, batch));
        } catch (DeliveryException.Rejected rejected) {
            ledger.notSent(inflight);
            if (replace != null) {
                throw new DeliveryException.Fatal("a batch of the replacing upload was refused: " + rejected.getMessage(), rejected.answer());
            }
            if (batch.size() == 1) {
                run.counters.failed++;
                run.counters.sample(sample(rejected.getMessage(), inflight.customerIds(), inflight.rows()));
            } else {
                int half = batch.size() / 2;
                List<UUID> ids = inflight.customerIds();
                List<String[]> rows = inflight.rows();
                send(run, action, ids.subList(0, half), rows.subList(0, half), null);
                send(run, action, ids.subList(half, ids.size()), rows.subList(half, rows.size()), null);
            }
            if (read != null) {
                run.confirmed(); // the halves' ledger writes carry older counters: they land first
                read.passed(run.counters, inflight);
                run.progress();
            }
            return;
        } catch (DeliveryException e) {
            ledger.notSent(inflight);
            throw e;
        }
        if ("ADD".equals(action)) {
            run.counters.added += batch.size();
        } else {
            run.counters.removed += batch.size();
        }
        run.counters.received += result.received();
        run.counters.invalid += result.invalid();
        result.invalidSamples().forEach(text -> run.counters.sample(sample(text, inflight.customerIds(), inflight.rows())));
        run.counters.requestId(result.answer() == null ? null : result.answer().requestId());
        if (read != null) {
            read.passed(run.counters, inflight);
        }
        run.confirming(inflight);
    }

    /**
     * A platform's example of a refused row, kept on the run under the customer whose row it quotes (or the batch's
     * only customer), with the row's values left out: a hash in it is an identifier, and the customer id lets an
     * erasure find and remove it.
     */
    static String sample(String text, List<UUID> customerIds, List<String[]> rows) {
        for (int i = 0; i < rows.size(); i++) {
            String shown = text;
            for (String cell : rows.get(i)) {
                if (cell != null && cell.length() >= 8 && shown.contains(cell)) {
                    shown = shown.replace(cell, "[value]");
                }
            }
            if (!shown.equals(text) || rows.size() == 1) {
                return "customer " + customerIds.get(i) + ": " + shown;
            }
        }
        return text;
    }

    /** Customers and their rows, in order. */
    private static final class Pending {
        final List<UUID> ids;
        final List<String[]> rows;
        /** For a full upload's batch: the reading's counts as of its last member. */
        Counts read;

        Pending(int capacity) {
            ids = new ArrayList<>(capacity);
            rows = new ArrayList<>(capacity);
        }

        void add(UUID id, String[] row) {
            ids.add(id);
            rows.add(row);
        }

        int size() {
            return ids.size();
        }
    }

    /** Waits for a ledger write; its failure becomes the run's. */
    private static void await(CompletableFuture<Void> write) {
        try {
            write.get(Ledger.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a ledger write did not finish in " + Ledger.TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    /** What failed in another thread, to fail this one with. */
    private static RuntimeException failure(ExecutionException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
    }

    /** Compares as PostgreSQL orders uuids (their bytes, unsigned), the order the members stream comes in. */
    static int inPostgresOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    static Set<Identifier> identifiers(Sync sync) {
        Set<Identifier> selected = EnumSet.noneOf(Identifier.class);
        sync.identifiers.forEach(name -> selected.add(Identifier.valueOf(name)));
        return selected;
    }

    private static Map<String, Long> coverage(AudienceRows rows) {
        Map<String, Long> coverage = new java.util.LinkedHashMap<>();
        rows.coverage().rowsWithByIdentifier().forEach((identifier, count) -> coverage.put(identifier.name(), count));
        return coverage;
    }
}
