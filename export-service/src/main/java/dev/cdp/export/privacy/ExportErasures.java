package dev.cdp.export.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.export.conversion.ConversionQueue;
import dev.cdp.export.file.RowOwners;
import dev.cdp.export.repository.ExportRepository;
import dev.cdp.export.service.ExportRunner;
import dev.cdp.export.sync.SyncRuns;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Erasures in export-service, asked for by profile-service once the customers are gone from the profile: their rows
 * are taken out of every kept export file (through the files' row owners), and every sync whose ledger holds them
 * runs, which removes them at the platform in any mode (the ledger keeps the hashes that were sent). An erasure
 * completes when no file and no ledger holds them and no export or sync run that started before it is still going
 * (it could have read them before they were erased); then their conversions waiting to be sent and their dead
 * letters are deleted, and so are its customer ids.
 */
@ApplicationScoped
public class ExportErasures {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** One replica at a time works on erasures: two must not rewrite the same file at once. */
    private static final long LOCK = 0x6364_7065_7261_7365L; // "cdperase"

    private final Pool pool;
    private final ObjectMapper json;
    private final ExportRepository jobs;
    private final ExportRunner files;
    private final SyncRuns runs;
    private final ConversionQueue conversions;

    public ExportErasures(Pool pool, ObjectMapper json, ExportRepository jobs, ExportRunner files, SyncRuns runs, ConversionQueue conversions) {
        this.conversions = conversions;
        this.pool = pool;
        this.json = json;
        this.jobs = jobs;
        this.files = files;
        this.runs = runs;
    }

    /** Records the erasure (again: nothing changes) and answers how far it is. */
    public ErasureReport register(UUID id, List<UUID> customerIds) {
        UUID[] customers = customerIds.toArray(UUID[]::new);
        pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO export.erasures (id, status, held_at_start)
                SELECT $1, 'ERASING', count(*) FROM export.sync_members WHERE customer_id = ANY($2::uuid[])
                ON CONFLICT (id) DO NOTHING RETURNING id""").execute(Tuple.of(id, customers))
                .chain(inserted -> inserted.rowCount() == 0 ? io.smallrye.mutiny.Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO export.erasure_customers (erasure_id, customer_id) SELECT $1, unnest($2::uuid[])")
                                .execute(Tuple.of(id, customers)).replaceWithVoid()))
                .await().atMost(TIMEOUT);
        return report(id).orElseThrow();
    }

    public Optional<ErasureReport> report(UUID id) {
        RowSet<Row> rows = pool.preparedQuery("""
                SELECT e.id, e.status, e.registered_at, e.files_done, e.files::text AS files, e.held_at_start, e.waiting_for, e.completed_at,
                       (SELECT count(*) FROM export.sync_members m JOIN export.erasure_customers c ON c.customer_id = m.customer_id
                        WHERE c.erasure_id = e.id) AS still_held
                FROM export.erasures e WHERE e.id = $1""").execute(Tuple.of(id)).await().atMost(TIMEOUT);
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ErasureReport(row.getUUID("id"), row.getString("status"), instant(row, "registered_at"),
                new ErasureReport.Files(row.getBoolean("files_done"), read(row.getString("files"))),
                new ErasureReport.Audiences(row.getInteger("held_at_start"), row.getLong("still_held")), row.getString("waiting_for"),
                instant(row, "completed_at")));
    }

    /** Works on every open erasure, oldest first, on one replica at a time. */
    @Scheduled(every = "1s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advance() {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction lock = connection.begin().await().atMost(TIMEOUT);
            boolean mine = connection.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS mine").execute(Tuple.of(LOCK))
                    .await().atMost(TIMEOUT).iterator().next().getBoolean("mine");
            try {
                if (mine) {
                    for (Row open : pool.query("SELECT id, registered_at, files_done FROM export.erasures WHERE status = 'ERASING' ORDER BY registered_at")
                            .execute().await().atMost(TIMEOUT)) {
                        advance(open.getUUID("id"), instant(open, "registered_at"), open.getBoolean("files_done"));
                    }
                }
            } finally {
                lock.rollback().await().atMost(TIMEOUT);
            }
        } catch (RuntimeException e) {
            Log.warnf("Erasures could not go on (tried again): %s", e.getMessage());
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private void advance(UUID id, Instant registeredAt, boolean filesDone) {
        Set<UUID> customers = new HashSet<>();
        pool.preparedQuery("SELECT customer_id FROM export.erasure_customers WHERE erasure_id = $1").execute(Tuple.of(id))
                .await().atMost(TIMEOUT).forEach(row -> customers.add(row.getUUID("customer_id")));
        List<String> waiting = new ArrayList<>();
        if (!filesDone) {
            if (jobs.runningSince(registeredAt).await().atMost(TIMEOUT)) {
                waiting.add("an export job that started before the erasure is still running");
            } else {
                ObjectNode report = scrubFiles(customers);
                pool.preparedQuery("UPDATE export.erasures SET files_done = true, files = $2::text::jsonb WHERE id = $1")
                        .execute(Tuple.of(id, report.toString())).await().atMost(TIMEOUT);
                filesDone = true;
                Log.infof("Erasure %s: files checked (%s)", id, report);
            }
        }
        waiting.addAll(removeFromAudiences(customers, registeredAt));
        if (filesDone && waiting.isEmpty()) {
            Object[] named = customers.stream().map(customer -> "%customer " + customer + "%").toArray();
            pool.withTransaction(tx -> tx.preparedQuery("""
                    UPDATE export.erasures SET status = 'COMPLETED', completed_at = now(), waiting_for = NULL WHERE id = $1""")
                    .execute(Tuple.of(id))
                    // Refused-row examples that name them (SyncRunner.sample) go too.
                    .chain(() -> tx.preparedQuery("""
                            UPDATE export.sync_runs SET invalid_samples = (
                                SELECT coalesce(jsonb_agg(s), '[]'::jsonb)::text FROM jsonb_array_elements_text(invalid_samples::jsonb) AS s
                                WHERE NOT s LIKE ANY ($1::text[]))
                            WHERE invalid_samples LIKE ANY ($1::text[])""").execute(Tuple.of(named)))
                    // Conversions waiting for them, or dead-lettered, go too (their hashes).
                    .chain(() -> conversions.forget(tx, customers.toArray(UUID[]::new)))
                    .chain(() -> tx.preparedQuery("DELETE FROM export.erasure_customers WHERE erasure_id = $1").execute(Tuple.of(id))))
                    .await().atMost(TIMEOUT);
            Log.infof("Erasure %s completed in export-service", id);
        } else {
            pool.preparedQuery("UPDATE export.erasures SET waiting_for = $2 WHERE id = $1")
                    .execute(Tuple.of(id, String.join("; ", waiting))).await().atMost(TIMEOUT);
        }
    }

    /** Takes the customers' rows out of every kept file; a file without row owners (older) is deleted whole. */
    private ObjectNode scrubFiles(Set<UUID> customers) {
        long checked = 0;
        long scrubbed = 0;
        long rowsRemoved = 0;
        long deleted = 0;
        for (UUID job : jobs.keptFiles().await().atMost(TIMEOUT)) {
            try {
                if (!Files.exists(files.file(job))) {
                    continue; // gone with its retention meanwhile (replicas share the directory)
                }
                checked++;
                if (!Files.exists(files.owners(job))) {
                    files.deleteFile(job);
                    deleted++;
                    Log.infof("Export %s: file deleted by an erasure, its rows cannot be told apart", job);
                    continue;
                }
                RowOwners.Removed removed = RowOwners.remove(files.file(job), files.owners(job), customers);
                if (removed.rows() > 0) {
                    jobs.rowsErased(job, removed.rows(), removed.sizeBytes()).await().atMost(TIMEOUT);
                    scrubbed++;
                    rowsRemoved += removed.rows();
                }
            } catch (NoSuchFileException e) {
                // deleted meanwhile by its retention
            } catch (IOException e) {
                Log.warnf("Export %s: its file could not be rewritten (%s); it is deleted", job, e.getMessage());
                try {
                    files.deleteFile(job);
                    deleted++;
                } catch (IOException stillThere) {
                    throw new UncheckedIOException(stillThere);
                }
            }
        }
        ObjectNode report = json.createObjectNode();
        report.put("checked", checked).put("scrubbed", scrubbed).put("rowsRemoved", rowsRemoved).put("deleted", deleted);
        return report;
    }

    /**
     * Notes the customers as changed on every sync whose ledger holds them and queues a run of it; the answer is what
     * keeps their removal waiting (empty once no ledger and no batch in flight holds them).
     */
    private List<String> removeFromAudiences(Set<UUID> customers, Instant registeredAt) {
        UUID[] ids = customers.toArray(UUID[]::new);
        List<String> waiting = new ArrayList<>();
        RowSet<Row> holders = pool.preparedQuery("""
                SELECT s.id, s.enabled, d.name, d.status, count(*) AS held
                FROM export.sync_members m JOIN export.syncs s ON s.id = m.sync_id JOIN export.destinations d ON d.id = s.destination_id
                WHERE m.customer_id = ANY($1::uuid[])
                GROUP BY s.id, s.enabled, d.name, d.status ORDER BY d.name""").execute(Tuple.of(ids)).await().atMost(TIMEOUT);
        for (Row holder : holders) {
            UUID sync = holder.getUUID("id");
            pool.preparedQuery("""
                    INSERT INTO export.sync_changes (sync_id, customer_id, noted_at) SELECT $1, unnest($2::uuid[]), now()
                    ON CONFLICT (sync_id, customer_id) DO NOTHING""").execute(Tuple.of(sync, ids)).await().atMost(TIMEOUT);
            String destination = "\"" + holder.getString("name") + "\"";
            if (!holder.getBoolean("enabled")) {
                waiting.add("sync " + sync + " to " + destination + " is disabled: enable it to send the removal");
            } else if (!"ACTIVE".equals(holder.getString("status"))) {
                waiting.add("destination " + destination + " needs attention: fix it to send the removal");
            } else {
                runs.enqueueIncremental(sync, "ERASURE");
                waiting.add("removal from " + destination + " under way");
            }
        }
        RowSet<Row> busy = pool.preparedQuery("""
                SELECT count(*) AS runs FROM export.sync_runs r
                WHERE (r.status = 'RUNNING' AND r.started_at <= $2)
                   OR EXISTS (SELECT 1 FROM export.sync_inflight i WHERE i.run_id = r.id AND i.customer_ids && $1::uuid[])""")
                .execute(Tuple.of(ids, registeredAt.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT);
        long running = busy.iterator().next().getLong("runs");
        if (running > 0) {
            waiting.add(running + " sync run(s) that may hold the customers are still going");
        }
        return waiting;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
    }
}
