package dev.cdp.export.sync;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The lifecycle of sync runs in SQL: queued by triggers, claimed by one runner of any replica (SKIP LOCKED), kept
 * alive by heartbeats, resumed when their runner went silent, finished. Blocking methods for the runner's threads.
 */
@ApplicationScoped
public class SyncRuns {

    private static final Duration TIMEOUT = Ledger.TIMEOUT;

    /** What a runner needs of a claimed run to start or resume it. */
    public record Claimed(UUID id, UUID syncId, SyncRun.Kind kind, Instant startedAt, Long sessionId, RunCounters counters) {
    }

    private final Pool pool;

    public SyncRuns(Pool pool) {
        this.pool = pool;
    }

    /**
     * Queues a run of the sync unless one is queued or running (then empty): FULL when asked or when no full upload
     * succeeded yet, else INCREMENTAL.
     */
    public Uni<Optional<UUID>> enqueue(UUID syncId, String trigger, boolean full) {
        return pool.preparedQuery("""
                INSERT INTO export.sync_runs (id, sync_id, kind, trigger, status)
                SELECT gen_random_uuid(), s.id, CASE WHEN $3 OR s.full_upload_at IS NULL THEN 'FULL' ELSE 'INCREMENTAL' END, $2, 'QUEUED'
                FROM export.syncs s WHERE s.id = $1
                ON CONFLICT DO NOTHING RETURNING id""")
                .execute(Tuple.of(syncId, trigger, full))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    /**
     * Queues an INCREMENTAL run of the sync unless one is queued or running: it sends what its noted changes call
     * for, removals of erased customers among them, in any mode.
     */
    public void enqueueIncremental(UUID syncId, String trigger) {
        pool.preparedQuery("""
                INSERT INTO export.sync_runs (id, sync_id, kind, trigger, status) VALUES (gen_random_uuid(), $1, 'INCREMENTAL', $2, 'QUEUED')
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(syncId, trigger)).await().atMost(TIMEOUT);
    }

    /** Queues a run of every on-change sync whose oldest waiting change is older than {@code delay}, and of every interval sync due. */
    public int enqueueDue(Duration delay) {
        int onChange = pool.preparedQuery("""
                INSERT INTO export.sync_runs (id, sync_id, kind, trigger, status)
                SELECT gen_random_uuid(), s.id, CASE WHEN s.full_upload_at IS NULL THEN 'FULL' ELSE 'INCREMENTAL' END, 'ON_CHANGE', 'QUEUED'
                FROM export.syncs s JOIN export.destinations d ON d.id = s.destination_id
                WHERE s.enabled AND s.trigger = 'ON_CHANGE' AND d.status = 'ACTIVE'
                  AND EXISTS (SELECT 1 FROM export.sync_changes c WHERE c.sync_id = s.id AND c.noted_at <= clock_timestamp() - make_interval(secs => $1))
                  AND NOT EXISTS (SELECT 1 FROM export.sync_runs r WHERE r.sync_id = s.id AND r.status IN ('QUEUED', 'RUNNING'))
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(delay.toMillis() / 1000.0)).await().atMost(TIMEOUT).rowCount();
        int interval = pool.preparedQuery("""
                WITH due AS (
                    UPDATE export.syncs s SET next_run_at = now() + make_interval(mins => s.interval_minutes)
                    FROM export.destinations d
                    WHERE d.id = s.destination_id AND s.enabled AND s.trigger = 'INTERVAL' AND d.status = 'ACTIVE'
                      AND coalesce(s.next_run_at, '-infinity') <= now()
                    RETURNING s.id, s.full_upload_at)
                INSERT INTO export.sync_runs (id, sync_id, kind, trigger, status)
                SELECT gen_random_uuid(), id, CASE WHEN full_upload_at IS NULL THEN 'FULL' ELSE 'INCREMENTAL' END, 'INTERVAL', 'QUEUED' FROM due
                ON CONFLICT DO NOTHING""")
                .execute().await().atMost(TIMEOUT).rowCount();
        return onChange + interval;
    }

    /** The oldest queued run, now RUNNING for this runner; empty when none waits. */
    public Optional<Claimed> claim() {
        RowSet<Row> rows = pool.preparedQuery("""
                UPDATE export.sync_runs SET status = 'RUNNING', started_at = coalesce(started_at, now()), heartbeat_at = now()
                WHERE id = (SELECT id FROM export.sync_runs WHERE status = 'QUEUED' ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, sync_id, kind, started_at, session_id, members_read, rows_added, rows_removed, rows_failed, skipped_no_consent,
                    skipped_no_identifier, unconfirmed_adds, platform_received, platform_invalid, resume_after, batches_sent""")
                .execute().await().atMost(TIMEOUT);
        if (rows.rowCount() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        // A resumed run goes on counting from what it had stored.
        RunCounters counters = new RunCounters();
        counters.membersRead = row.getLong("members_read");
        counters.added = row.getLong("rows_added");
        counters.removed = row.getLong("rows_removed");
        counters.failed = row.getLong("rows_failed");
        counters.noConsent = row.getLong("skipped_no_consent");
        counters.noIdentifier = row.getLong("skipped_no_identifier");
        counters.unconfirmedAdds = row.getLong("unconfirmed_adds");
        counters.received = row.getLong("platform_received");
        counters.invalid = row.getLong("platform_invalid");
        counters.resumeAfter = row.getUUID("resume_after");
        counters.batchesSent = row.getInteger("batches_sent");
        return Optional.of(new Claimed(row.getUUID("id"), row.getUUID("sync_id"), SyncRun.Kind.valueOf(row.getString("kind")),
                row.getOffsetDateTime("started_at").toInstant(), row.getLong("session_id"), counters));
    }

    /** Keeps these runs from being taken for abandoned. */
    public void heartbeat(Collection<UUID> runIds) {
        if (!runIds.isEmpty()) {
            pool.preparedQuery("UPDATE export.sync_runs SET heartbeat_at = now() WHERE id = ANY($1::uuid[]) AND status = 'RUNNING'")
                    .execute(Tuple.of(runIds.toArray(new UUID[0]))).await().atMost(TIMEOUT);
        }
    }

    /** Puts runs whose runner went silent back in the queue, to be resumed where they stopped. */
    public int requeueAbandoned(Duration staleAfter) {
        return pool.preparedQuery("""
                UPDATE export.sync_runs SET status = 'QUEUED' WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1)""")
                .execute(Tuple.of(staleAfter.toMillis() / 1000.0)).await().atMost(TIMEOUT).rowCount();
    }

    /** Back in the queue now (this instance stops): another runner resumes it. */
    public void requeue(UUID runId) {
        pool.preparedQuery("UPDATE export.sync_runs SET status = 'QUEUED' WHERE id = $1 AND status = 'RUNNING'").execute(Tuple.of(runId))
                .await().atMost(TIMEOUT);
    }

    /** Stores what a run counted so far and where it would resume. */
    public void progress(UUID runId, RunCounters counters) {
        progressWith(runId, counters).apply(pool).await().atMost(TIMEOUT);
    }

    /** {@link #progress} with the counters as they are now, as a statement for another write's transaction. */
    public Function<SqlClient, Uni<?>> progressWith(UUID runId, RunCounters counters) {
        Tuple now = counters.tuple(runId);
        return client -> client.preparedQuery(UPDATE + ", heartbeat_at = now() WHERE id = $1").execute(now);
    }

    /** Finishes a run: SUCCEEDED, PARTIAL or FAILED, with its error. */
    public void finish(UUID runId, RunCounters counters, SyncRun.Status status, String error) {
        counters.resumeAfter = null; // a finished run does not resume: it keeps no customer id
        Tuple tuple = counters.tuple(runId).addString(status.name()).addString(error == null ? null : truncate(error));
        pool.preparedQuery(UPDATE + ", status = $16, error = $17, finished_at = now() WHERE id = $1").execute(tuple).await().atMost(TIMEOUT);
    }

    /** The platform upload session a full run replaces the audience in; kept to resume it. */
    public void session(UUID runId, long sessionId) {
        pool.preparedQuery("UPDATE export.sync_runs SET session_id = $2 WHERE id = $1").execute(Tuple.of(runId, sessionId)).await().atMost(TIMEOUT);
    }

    /** The sync's audience at the platform, once created. */
    public void audienceCreated(UUID syncId, String audienceId) {
        pool.preparedQuery("UPDATE export.syncs SET platform_audience_id = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(syncId, audienceId)).await().atMost(TIMEOUT);
    }

    /** A full upload succeeded: runs from now on send differences. */
    public void fullUploadDone(UUID syncId, Instant at) {
        pool.preparedQuery("UPDATE export.syncs SET full_upload_at = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(syncId, Ledger.time(at))).await().atMost(TIMEOUT);
    }

    private static final String UPDATE = """
            UPDATE export.sync_runs SET members_read = $2, rows_added = $3, rows_removed = $4, rows_failed = $5, skipped_no_consent = $6,
                skipped_no_identifier = $7, unconfirmed_adds = $8, platform_received = $9, platform_invalid = $10,
                invalid_samples = $11, request_ids = $12, coverage = $13, resume_after = $14, batches_sent = $15""";

    private static String truncate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    /** What a run counts as it goes; written by its runner's thread, read by the progress updates from the same thread. */
    public static final class RunCounters {
        long membersRead;
        long added;
        long removed;
        long failed;
        long noConsent;
        long noIdentifier;
        long unconfirmedAdds;
        long received;
        long invalid;
        final List<String> invalidSamples = new ArrayList<>();
        final List<String> requestIds = new ArrayList<>();
        Map<String, Long> coverage = Map.of();
        UUID resumeAfter;
        int batchesSent;

        void sample(String text) {
            if (invalidSamples.size() < 20) {
                invalidSamples.add(text);
            }
        }

        void requestId(String id) {
            if (id != null && requestIds.size() < 100) {
                requestIds.add(id);
            }
        }

        Tuple tuple(UUID runId) {
            return Tuple.from(new Object[] {runId, membersRead, added, removed, failed, noConsent, noIdentifier, unconfirmedAdds, received,
                    invalid, new JsonArray(new ArrayList<>(invalidSamples)).encode(), new JsonArray(new ArrayList<>(requestIds)).encode(),
                    new JsonObject(new java.util.LinkedHashMap<>(coverage)).encode(), resumeAfter, batchesSent});
        }
    }
}
