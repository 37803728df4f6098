package dev.cdp.export.sync;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each sync's platform audience holds according to us (export.sync_members), the customers waiting to be
 * reconsidered (export.sync_changes) and the batches at a platform right now (export.sync_inflight). Written by hand
 * with the reactive client in set-based statements ({@code unnest} of arrays): a full upload writes a row per member,
 * up to millions (docs/performance.md). Blocking methods, for the sync runner's threads.
 */
@ApplicationScoped
public class Ledger {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Below every id in PostgreSQL's uuid order (unsigned bytes), where paging starts. */
    private static final UUID FIRST = new UUID(0, 0);

    /** A batch that was sent and not yet confirmed. */
    public record Inflight(UUID runId, int batch, String action, List<UUID> customerIds, List<String[]> rows) {
    }

    private final Pool pool;

    public Ledger(Pool pool) {
        this.pool = pool;
    }

    /** Notes membership changes (segment, customer pairs in the same order) for every enabled sync of those segments. */
    public Uni<Integer> noteMemberships(List<UUID> segmentIds, List<UUID> customerIds) {
        return pool.preparedQuery("""
                INSERT INTO export.sync_changes (sync_id, customer_id, noted_at)
                SELECT DISTINCT s.id, t.c, clock_timestamp() FROM unnest($1::uuid[], $2::uuid[]) AS t(seg, c)
                JOIN export.syncs s ON s.segment_id = t.seg AND s.enabled
                ON CONFLICT (sync_id, customer_id) DO UPDATE SET noted_at = excluded.noted_at""")
                .execute(Tuple.of(segmentIds.toArray(new UUID[0]), customerIds.toArray(new UUID[0])))
                .map(rows -> rows.rowCount());
    }

    /**
     * Notes these customers for every sync whose audience holds them: their consent or identifiers changed, or they
     * were merged away, and what the platform holds may have to follow.
     */
    public Uni<Integer> noteHeld(List<UUID> customerIds) {
        return pool.preparedQuery("""
                INSERT INTO export.sync_changes (sync_id, customer_id, noted_at)
                SELECT m.sync_id, m.customer_id, clock_timestamp() FROM export.sync_members m WHERE m.customer_id = ANY($1::uuid[])
                ON CONFLICT (sync_id, customer_id) DO UPDATE SET noted_at = excluded.noted_at""")
                .execute(Tuple.of(customerIds.toArray(new UUID[0])))
                .map(rows -> rows.rowCount());
    }

    /** Up to {@code limit} customers noted for the sync up to {@code notedBefore}, after {@code after}, in id order. */
    public List<UUID> changes(UUID syncId, Instant notedBefore, UUID after, int limit) {
        return pool.preparedQuery("""
                SELECT customer_id FROM export.sync_changes WHERE sync_id = $1 AND noted_at <= $2 AND customer_id > $3
                ORDER BY customer_id LIMIT $4""")
                .execute(Tuple.of(syncId, time(notedBefore), after == null ? FIRST : after, limit))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                }).await().atMost(TIMEOUT);
    }

    /** The rows the audience holds for these customers, as they were sent. */
    public Map<UUID, String[]> rows(UUID syncId, List<UUID> customerIds) {
        return pool.preparedQuery("SELECT customer_id, hashes FROM export.sync_members WHERE sync_id = $1 AND customer_id = ANY($2::uuid[])")
                .execute(Tuple.of(syncId, customerIds.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, String[]> held = new HashMap<>();
                    for (Row row : rows) {
                        held.put(row.getUUID("customer_id"), row.getArrayOfStrings("hashes"));
                    }
                    return held;
                }).await().atMost(TIMEOUT);
    }

    /** Up to {@code limit} customers last sent before {@code before}, after {@code after}: those a full upload did not see. */
    public Map<UUID, String[]> sentBefore(UUID syncId, Instant before, UUID after, int limit) {
        return pool.preparedQuery("""
                SELECT customer_id, hashes FROM export.sync_members WHERE sync_id = $1 AND sent_at < $2 AND customer_id > $3
                ORDER BY customer_id LIMIT $4""")
                .execute(Tuple.of(syncId, time(before), after == null ? FIRST : after, limit))
                .map(rows -> {
                    Map<UUID, String[]> held = new java.util.LinkedHashMap<>();
                    for (Row row : rows) {
                        held.put(row.getUUID("customer_id"), row.getArrayOfStrings("hashes"));
                    }
                    return held;
                }).await().atMost(TIMEOUT);
    }

    /** Forgets the customers' noted changes up to {@code notedBefore}: nothing had to be sent for them. */
    public void settled(UUID syncId, List<UUID> customerIds, Instant notedBefore) {
        pool.preparedQuery("DELETE FROM export.sync_changes WHERE sync_id = $1 AND customer_id = ANY($2::uuid[]) AND noted_at <= $3")
                .execute(Tuple.of(syncId, customerIds.toArray(new UUID[0]), time(notedBefore))).await().atMost(TIMEOUT);
    }

    /** Forgets every change noted for the sync up to {@code notedBefore}: a full upload covered them. */
    public void settledAll(UUID syncId, Instant notedBefore) {
        pool.preparedQuery("DELETE FROM export.sync_changes WHERE sync_id = $1 AND noted_at <= $2")
                .execute(Tuple.of(syncId, time(notedBefore))).await().atMost(TIMEOUT);
    }

    /** Records a batch as at the platform, before it is sent. */
    public void sending(Inflight batch) {
        pool.preparedQuery("""
                INSERT INTO export.sync_inflight (run_id, batch, action, customer_ids, hashes) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (run_id, batch) DO UPDATE SET action = excluded.action, customer_ids = excluded.customer_ids, hashes = excluded.hashes""")
                .execute(Tuple.from(new Object[] {batch.runId(), batch.batch(), batch.action(), batch.customerIds().toArray(new UUID[0]),
                        joined(batch.rows())}))
                .await().atMost(TIMEOUT);
    }

    /** The batches of the sync's runs that were sent and never confirmed (a crash cut them off). */
    public List<Inflight> inflight(UUID syncId) {
        return pool.preparedQuery("""
                SELECT i.run_id, i.batch, i.action, i.customer_ids, i.hashes FROM export.sync_inflight i
                JOIN export.sync_runs r ON r.id = i.run_id WHERE r.sync_id = $1 ORDER BY i.run_id, i.batch""")
                .execute(Tuple.of(syncId))
                .map(rows -> {
                    List<Inflight> batches = new ArrayList<>();
                    for (Row row : rows) {
                        List<String[]> hashes = new ArrayList<>();
                        for (String joined : row.getArrayOfStrings("hashes")) {
                            hashes.add(split(joined));
                        }
                        batches.add(new Inflight(row.getUUID("run_id"), row.getInteger("batch"), row.getString("action"),
                                List.of(row.getArrayOfUUIDs("customer_ids")), hashes));
                    }
                    return batches;
                }).await().atMost(TIMEOUT);
    }

    /**
     * After the platform took a batch, in one transaction: the ledger holds (adds) or forgets (removals) its customers
     * and the in-flight record is gone. Noted changes are settled by the run once all of a customer's batches are in.
     */
    public void confirmed(UUID syncId, Inflight batch) {
        UUID[] ids = batch.customerIds().toArray(new UUID[0]);
        pool.withTransaction(tx -> {
            Uni<?> ledger = "ADD".equals(batch.action())
                    ? tx.preparedQuery("""
                            INSERT INTO export.sync_members (sync_id, customer_id, hashes, sent_at)
                            SELECT $1, c, string_to_array(h, E'\\t', ''), clock_timestamp() FROM unnest($2::uuid[], $3::text[]) AS t(c, h)
                            ON CONFLICT (sync_id, customer_id) DO UPDATE SET hashes = excluded.hashes, sent_at = excluded.sent_at""")
                            .execute(Tuple.of(syncId, ids, joined(batch.rows())))
                    : tx.preparedQuery("DELETE FROM export.sync_members WHERE sync_id = $1 AND customer_id = ANY($2::uuid[])")
                            .execute(Tuple.of(syncId, ids));
            return ledger.chain(() -> done(tx, batch));
        }).await().atMost(TIMEOUT);
    }

    /** Forgets customers the platform no longer holds without a removal of ours (a replacing upload left them out). */
    public void forget(UUID syncId, List<UUID> customerIds) {
        pool.preparedQuery("DELETE FROM export.sync_members WHERE sync_id = $1 AND customer_id = ANY($2::uuid[])")
                .execute(Tuple.of(syncId, customerIds.toArray(new UUID[0]))).await().atMost(TIMEOUT);
    }

    /** A batch that is not at the platform (refused for good, or not delivered now): its in-flight record goes. */
    public void notSent(Inflight batch) {
        done(pool, batch).await().atMost(TIMEOUT);
    }

    private static Uni<?> done(SqlClient client, Inflight batch) {
        return client.preparedQuery("DELETE FROM export.sync_inflight WHERE run_id = $1 AND batch = $2").execute(Tuple.of(batch.runId(), batch.batch()));
    }

    /** Each row's cells joined by tabs; an empty cell stays empty (hashes and codes hold no tabs). */
    private static String[] joined(List<String[]> rows) {
        String[] joined = new String[rows.size()];
        for (int i = 0; i < joined.length; i++) {
            StringBuilder line = new StringBuilder(700);
            String[] row = rows.get(i);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append('\t');
                }
                if (row[c] != null) {
                    line.append(row[c]);
                }
            }
            joined[i] = line.toString();
        }
        return joined;
    }

    private static String[] split(String joined) {
        String[] cells = joined.split("\t", -1);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i].isEmpty()) {
                cells[i] = null;
            }
        }
        return cells;
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
