package dev.cdp.export.sync;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
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
import java.util.function.Function;

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

    /**
     * A batch at the platform (or recorded ahead of going there) and not yet confirmed; {@code cells} are its rows as
     * {@link LedgerCells} packs them.
     */
    public record Inflight(UUID runId, int batch, String action, List<UUID> customerIds, List<String[]> rows, Buffer[] cells) {

        /** Packs the rows once, for the in-flight record and the ledger. */
        public static Inflight of(UUID runId, int batch, String action, List<UUID> customerIds, List<String[]> rows) {
            Buffer[] cells = new Buffer[rows.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = Buffer.buffer(LedgerCells.pack(rows.get(i)));
            }
            return new Inflight(runId, batch, action, List.copyOf(customerIds), List.copyOf(rows), cells);
        }
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
        return pool.preparedQuery("SELECT customer_id, cells FROM export.sync_members WHERE sync_id = $1 AND customer_id = ANY($2::uuid[])")
                .execute(Tuple.of(syncId, customerIds.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, String[]> held = new HashMap<>();
                    for (Row row : rows) {
                        held.put(row.getUUID("customer_id"), cells(row));
                    }
                    return held;
                }).await().atMost(TIMEOUT);
    }

    /** Up to {@code limit} customers last sent before {@code before}, after {@code after}: those a full upload did not see. */
    public Map<UUID, String[]> sentBefore(UUID syncId, Instant before, UUID after, int limit) {
        return pool.preparedQuery("""
                SELECT customer_id, cells FROM export.sync_members WHERE sync_id = $1 AND sent_at < $2 AND customer_id > $3
                ORDER BY customer_id LIMIT $4""")
                .execute(Tuple.of(syncId, time(before), after == null ? FIRST : after, limit))
                .map(rows -> {
                    Map<UUID, String[]> held = new java.util.LinkedHashMap<>();
                    for (Row row : rows) {
                        held.put(row.getUUID("customer_id"), cells(row));
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
        record(batch, true).await().atMost(TIMEOUT);
    }

    /**
     * Records a batch ahead, while the one before it is at the platform: {@code sent} false until {@link #markSent},
     * just before it goes. A crash in between leaves a record that {@link #dropUnsent} removes: that batch never left.
     */
    public Uni<Void> record(Inflight batch, boolean sent) {
        return pool.preparedQuery("""
                INSERT INTO export.sync_inflight (run_id, batch, action, customer_ids, cells, sent) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (run_id, batch) DO UPDATE
                SET action = excluded.action, customer_ids = excluded.customer_ids, cells = excluded.cells, sent = excluded.sent""")
                .execute(Tuple.from(new Object[] {batch.runId(), batch.batch(), batch.action(), batch.customerIds().toArray(new UUID[0]),
                        batch.cells(), sent}))
                .replaceWithVoid();
    }

    /** The batch recorded ahead goes to the platform now (a small update: the rows stay where they were written). */
    public void markSent(Inflight batch) {
        pool.preparedQuery("UPDATE export.sync_inflight SET sent = true WHERE run_id = $1 AND batch = $2")
                .execute(Tuple.of(batch.runId(), batch.batch())).await().atMost(TIMEOUT);
    }

    /** Forgets the batches of the sync's runs that were recorded ahead and never sent. */
    public void dropUnsent(UUID syncId) {
        pool.preparedQuery("""
                DELETE FROM export.sync_inflight i USING export.sync_runs r WHERE r.id = i.run_id AND r.sync_id = $1 AND NOT i.sent""")
                .execute(Tuple.of(syncId)).await().atMost(TIMEOUT);
    }

    /** The batches of the sync's runs that were sent and never confirmed (a crash cut them off). */
    public List<Inflight> inflight(UUID syncId) {
        return pool.preparedQuery("""
                SELECT i.run_id, i.batch, i.action, i.customer_ids, i.cells FROM export.sync_inflight i
                JOIN export.sync_runs r ON r.id = i.run_id WHERE r.sync_id = $1 AND i.sent ORDER BY i.run_id, i.batch""")
                .execute(Tuple.of(syncId))
                .map(rows -> {
                    List<Inflight> batches = new ArrayList<>();
                    for (Row row : rows) {
                        Buffer[] cells = row.getDelegate().getArrayOfBuffers("cells");
                        List<String[]> unpacked = new ArrayList<>();
                        for (Buffer packed : cells) {
                            unpacked.add(LedgerCells.unpack(packed.getBytes()));
                        }
                        batches.add(new Inflight(row.getUUID("run_id"), row.getInteger("batch"), row.getString("action"),
                                List.of(row.getArrayOfUUIDs("customer_ids")), unpacked, cells));
                    }
                    return batches;
                }).await().atMost(TIMEOUT);
    }

    /**
     * After the platform took a batch, in one transaction: the ledger holds (adds) or forgets (removals) its customers
     * and the in-flight record is gone. Noted changes are settled by the run once all of a customer's batches are in.
     */
    public void confirmed(UUID syncId, Inflight batch) {
        confirm(syncId, batch, client -> Uni.createFrom().voidItem()).await().atMost(TIMEOUT);
    }

    /**
     * {@link #confirmed}, as a write that starts when subscribed to (the run goes on while it lands), with
     * {@code sameTransaction} (the run's progress) committed with it.
     */
    public Uni<Void> confirm(UUID syncId, Inflight batch, Function<SqlClient, Uni<?>> sameTransaction) {
        UUID[] ids = batch.customerIds().toArray(new UUID[0]);
        return pool.withTransaction(tx -> {
            Uni<?> ledger = "ADD".equals(batch.action())
                    ? tx.preparedQuery("""
                            INSERT INTO export.sync_members (sync_id, customer_id, cells, sent_at)
                            SELECT $1, c, r, clock_timestamp() FROM unnest($2::uuid[], $3::bytea[]) AS t(c, r)
                            ON CONFLICT (sync_id, customer_id) DO UPDATE SET cells = excluded.cells, sent_at = excluded.sent_at""")
                            .execute(Tuple.of(syncId, ids, batch.cells()))
                    : tx.preparedQuery("DELETE FROM export.sync_members WHERE sync_id = $1 AND customer_id = ANY($2::uuid[])")
                            .execute(Tuple.of(syncId, ids));
            return ledger.chain(() -> done(tx, batch)).chain(() -> sameTransaction.apply(tx));
        }).replaceWithVoid();
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

    private static String[] cells(Row row) {
        return LedgerCells.unpack(row.getBuffer("cells").getBytes());
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
