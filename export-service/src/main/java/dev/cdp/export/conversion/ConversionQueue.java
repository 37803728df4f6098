package dev.cdp.export.conversion;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
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

/** The conversion queue, its dead letters and its counts (export.conversion_*). */
@ApplicationScoped
public class ConversionQueue {

    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String DROPPED = "DROPPED";

    /** An event ready for its destination. */
    public record Queued(UUID destinationId, String messageId, String platformEvent, UUID customerId, Instant occurredAt,
            Instant acceptedAt, Instant expiresAt, String body) {
    }

    /** A queued event taken for sending; {@code attempts} are the tries that failed before. */
    public record Claimed(long id, String messageId, String platformEvent, UUID customerId, Instant occurredAt, Instant acceptedAt,
            Instant expiresAt, Instant queuedAt, String body, int attempts) {
    }

    /** How many events of a destination went one way, for one reason ('' when sent). */
    public record Count(UUID destinationId, String outcome, String reason, long count) {
    }

    private final Pool pool;

    public ConversionQueue(Pool pool) {
        this.pool = pool;
    }

    /** Queues the events (a redelivered one is queued once) and adds the counts, in one transaction. */
    public Uni<Void> add(List<Queued> events, List<Count> counts) {
        return pool.withTransaction(connection -> insert(connection, events).chain(() -> count(connection, counts)));
    }

    private static Uni<Void> insert(SqlConnection connection, List<Queued> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = events.size();
        UUID[] destinations = new UUID[n];
        String[] messages = new String[n];
        String[] platformEvents = new String[n];
        UUID[] customers = new UUID[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        OffsetDateTime[] accepted = new OffsetDateTime[n];
        OffsetDateTime[] expires = new OffsetDateTime[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            Queued event = events.get(i);
            destinations[i] = event.destinationId();
            messages[i] = event.messageId();
            platformEvents[i] = event.platformEvent();
            customers[i] = event.customerId();
            occurred[i] = event.occurredAt().atOffset(ZoneOffset.UTC);
            accepted[i] = event.acceptedAt().atOffset(ZoneOffset.UTC);
            expires[i] = event.expiresAt().atOffset(ZoneOffset.UTC);
            bodies[i] = event.body();
        }
        return connection.preparedQuery("""
                INSERT INTO export.conversion_queue (destination_id, message_id, platform_event, customer_id, occurred_at, accepted_at,
                                                     expires_at, body)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[],
                                     $8::text[])
                ON CONFLICT (destination_id, message_id, platform_event) DO NOTHING""")
                .execute(Tuple.from(new Object[] {destinations, messages, platformEvents, customers, occurred, accepted, expires, bodies}))
                .replaceWithVoid();
    }

    private static Uni<Void> count(SqlConnection connection, List<Count> counts) {
        if (counts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                INSERT INTO export.conversion_counts AS c (destination_id, outcome, reason, count)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[])
                ON CONFLICT (destination_id, outcome, reason) DO UPDATE SET count = c.count + excluded.count""")
                .execute(Tuple.of(counts.stream().map(Count::destinationId).toArray(UUID[]::new),
                        counts.stream().map(Count::outcome).toArray(String[]::new),
                        counts.stream().map(Count::reason).toArray(String[]::new),
                        counts.stream().map(Count::count).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** Destinations with events due now. */
    public Uni<List<UUID>> destinationsDue() {
        return pool.query("SELECT DISTINCT destination_id FROM export.conversion_queue WHERE next_attempt_at <= now()").execute()
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /**
     * Makes {@code sender} the one sender of the destination until {@code lease} from now (renewing its own lease);
     * false while another sender's lease runs.
     */
    public Uni<Boolean> lease(UUID destinationId, UUID sender, Duration lease) {
        return pool.preparedQuery("""
                INSERT INTO export.conversion_senders AS s (destination_id, sender, lease_until) VALUES ($1, $2, now() + make_interval(secs => $3))
                ON CONFLICT (destination_id) DO UPDATE SET sender = excluded.sender, lease_until = excluded.lease_until
                WHERE s.sender = excluded.sender OR s.lease_until < now()
                RETURNING destination_id""").execute(Tuple.of(destinationId, sender, (double) lease.toSeconds())).map(rows -> rows.size() == 1);
    }

    public Uni<Void> endLease(UUID destinationId, UUID sender) {
        return pool.preparedQuery("DELETE FROM export.conversion_senders WHERE destination_id = $1 AND sender = $2")
                .execute(Tuple.of(destinationId, sender)).replaceWithVoid();
    }

    /** Up to {@code limit} of a destination's due events, oldest first (for the holder of its lease). */
    public Uni<List<Claimed>> due(UUID destinationId, int limit) {
        return pool.preparedQuery("""
                SELECT id, message_id, platform_event, customer_id, occurred_at, accepted_at, expires_at, queued_at, body, attempts
                FROM export.conversion_queue WHERE destination_id = $1 AND next_attempt_at <= now() ORDER BY id LIMIT $2""")
                .execute(Tuple.of(destinationId, limit))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getLong("id"), row.getString("message_id"), row.getString("platform_event"),
                                row.getUUID("customer_id"), row.getOffsetDateTime("occurred_at").toInstant(),
                                row.getOffsetDateTime("accepted_at").toInstant(), row.getOffsetDateTime("expires_at").toInstant(),
                                row.getOffsetDateTime("queued_at").toInstant(), row.getString("body"), row.getInteger("attempts")));
                    }
                    return claimed;
                });
    }

    /**
     * Events that left the queue, with their count under {@code reason} (a short key, '' when sent); a dead letter
     * ({@link #FAILED}) keeps the reason with the platform's {@code detail}.
     */
    public Uni<Void> done(UUID destinationId, List<Claimed> events, String outcome, String reason, String detail) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = events.stream().map(Claimed::id).toArray(Long[]::new);
        return pool.withTransaction(connection -> (outcome.equals(FAILED) ? connection.preparedQuery("""
                INSERT INTO export.conversion_dead_letters (destination_id, message_id, platform_event, customer_id, occurred_at, attempts, reason)
                SELECT destination_id, message_id, platform_event, customer_id, occurred_at, attempts + 1, $2
                FROM export.conversion_queue WHERE id = ANY($1)""").execute(Tuple.of(ids, truncate(detail == null ? reason : reason + ": " + detail)))
                .replaceWithVoid()
                : Uni.createFrom().voidItem())
                .chain(() -> connection.preparedQuery("DELETE FROM export.conversion_queue WHERE id = ANY($1)").execute(Tuple.of((Object) ids)))
                .chain(() -> count(connection, List.of(new Count(destinationId, outcome, reason, events.size())))));
    }

    /** Events to try again after {@code delay}, with why; {@code failedTry} counts this try among their attempts. */
    public Uni<Void> retryLater(List<Claimed> events, Duration delay, String why, boolean failedTry) {
        return pool.preparedQuery("UPDATE export.conversion_queue SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3, "
                + "attempts = attempts + " + (failedTry ? 1 : 0) + " "
                + "WHERE id = ANY($1)").execute(Tuple.of(events.stream().map(Claimed::id).toArray(Long[]::new), (double) delay.toMillis() / 1000,
                        truncate(why))).replaceWithVoid();
    }

    /** Per destination: waiting events and the age (seconds since accepted) of the oldest. */
    public Uni<Map<UUID, double[]>> backlog() {
        return pool.query("SELECT destination_id, count(*), extract(epoch FROM now() - min(accepted_at)) FROM export.conversion_queue "
                + "GROUP BY destination_id").execute().map(rows -> {
                    Map<UUID, double[]> backlog = new HashMap<>();
                    rows.forEach(row -> backlog.put(row.getUUID(0), new double[] {row.getLong(1), row.getDouble(2)}));
                    return backlog;
                });
    }

    public Uni<List<Count>> counts(UUID destinationId) {
        return pool.preparedQuery("SELECT outcome, reason, count FROM export.conversion_counts WHERE destination_id = $1")
                .execute(Tuple.of(destinationId)).map(rows -> {
                    List<Count> counts = new ArrayList<>();
                    rows.forEach(row -> counts.add(new Count(destinationId, row.getString(0), row.getString(1), row.getLong(2))));
                    return counts;
                });
    }

    /** Forgets erased customers: their waiting events and dead letters. */
    public Uni<Void> forget(SqlConnection connection, UUID[] customers) {
        return connection.preparedQuery("DELETE FROM export.conversion_queue WHERE customer_id = ANY($1)").execute(Tuple.of((Object) customers))
                .chain(() -> connection.preparedQuery("DELETE FROM export.conversion_dead_letters WHERE customer_id = ANY($1)")
                        .execute(Tuple.of((Object) customers)))
                .replaceWithVoid();
    }

    private static String truncate(String text) {
        return text == null ? null : text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
