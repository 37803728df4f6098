package dev.cdp.profile.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cdp.events.ProfileChanged;
import dev.cdp.problem.Page;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.Suppressions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Erasures in SQL: the request (resolved and suppressed at once), the profile's rows deleted, the progress kept. */
@ApplicationScoped
public class ErasureRepository {

    private static final String COLUMNS = """
            id, seq, status, step, requested_by, requested_at, identifier_type, customers, suppressed, progress::text AS progress,
            waiting_for, completed_at""";

    /**
     * The profile's tables keyed by customer, in the order they are emptied (raw events go first, found through the
     * rows that point at them).
     */
    private static final List<String> CUSTOMER_TABLES = List.of("interactions", "transactions", "consent_changes", "quality_issues",
            "customer_event_counts", "customer_facts", "identities");

    private final Pool pool;
    private final ObjectMapper json;
    private final Suppressions suppressions;

    public ErasureRepository(Pool pool, ObjectMapper json, Suppressions suppressions) {
        this.pool = pool;
        this.json = json;
        this.suppressions = suppressions;
    }

    /**
     * Records an erasure of the customer known by {@code customerId} or {@code identity} (one is null), with every
     * identifier of that customer (and of those merged into it) suppressed, in one transaction that waits for the
     * batches being stored and holds new ones back until it commits: from then on no message can reach the customer.
     * An identity nobody holds is suppressed alone (the person is not to be tracked from now on); an unknown customer
     * id gives empty.
     */
    public Uni<Optional<Erasure>> request(UUID customerId, Identity identity, String requestedBy) {
        UUID id = UUID.randomUUID();
        String identifierType = customerId != null ? "customerId" : identity.type().name();
        return pool.withTransaction(tx -> suppressions.exclusive(tx)
                .chain(() -> survivor(tx, customerId, identity))
                .chain(survivor -> {
                    if (survivor == null && customerId != null) {
                        return Uni.createFrom().item(Optional.<Erasure>empty());
                    }
                    Uni<List<UUID>> customers = survivor == null ? Uni.createFrom().item(List.of())
                            : tx.preparedQuery("SELECT customer_id FROM profile.customers WHERE customer_id = $1 OR merged_into = $1")
                                    .execute(Tuple.of(survivor)).map(rows -> uuids(rows, "customer_id"));
                    return customers.chain(ids -> identities(tx, ids).chain(known -> {
                        Set<Identity> suppressed = new LinkedHashSet<>(known);
                        if (identity != null) {
                            suppressed.add(identity);
                        }
                        return suppress(tx, id, suppressed)
                                .chain(() -> tx.preparedQuery("""
                                        INSERT INTO profile.erasures (id, requested_by, identifier_type, status, step, customers, suppressed)
                                        VALUES ($1, $2, $3, 'ERASING', 'PROFILE', $4, $5)""")
                                        .execute(Tuple.of(id, requestedBy, identifierType, ids.size(), suppressed.size())))
                                .chain(() -> tx.preparedQuery("""
                                        INSERT INTO profile.erasure_customers (erasure_id, customer_id) SELECT $1, unnest($2::uuid[])""")
                                        .execute(Tuple.of(id, ids.toArray(UUID[]::new))))
                                .chain(() -> get(tx, id)).map(Optional::of);
                    }));
                }));
    }

    private static Uni<UUID> survivor(SqlClient tx, UUID customerId, Identity identity) {
        Uni<RowSet<Row>> rows = customerId != null
                ? tx.preparedQuery("SELECT coalesce(merged_into, customer_id) AS survivor FROM profile.customers WHERE customer_id = $1")
                        .execute(Tuple.of(customerId))
                : tx.preparedQuery("""
                        SELECT coalesce(c.merged_into, c.customer_id) AS survivor
                        FROM profile.identities i JOIN profile.customers c ON c.customer_id = i.customer_id
                        WHERE i.id_type = $1 AND i.id_value = $2""")
                        .execute(Tuple.of(identity.type().name(), identity.value()));
        return rows.map(found -> found.iterator().hasNext() ? found.iterator().next().getUUID("survivor") : null);
    }

    private static Uni<List<Identity>> identities(SqlClient tx, List<UUID> customers) {
        return tx.preparedQuery("SELECT id_type, id_value FROM profile.identities WHERE customer_id = ANY($1::uuid[])")
                .execute(Tuple.of(customers.toArray(UUID[]::new)))
                .map(rows -> {
                    List<Identity> identities = new ArrayList<>();
                    for (Row row : rows) {
                        identities.add(new Identity(IdentityType.valueOf(row.getString("id_type")), row.getString("id_value")));
                    }
                    return identities;
                });
    }

    private Uni<Void> suppress(SqlClient tx, UUID erasureId, Set<Identity> identities) {
        List<byte[]> hashes = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Identity identity : identities) {
            hashes.add(suppressions.hash(identity));
            types.add(identity.type().name());
        }
        return tx.preparedQuery("""
                INSERT INTO profile.suppressions (hash, id_type, erasure_id)
                SELECT h, t, $3 FROM unnest($1::bytea[], $2::text[]) AS s(h, t)
                ON CONFLICT (hash) DO NOTHING""")
                .execute(Tuple.of(hashes.stream().map(Buffer::buffer).toArray(Buffer[]::new),
                        types.toArray(String[]::new), erasureId))
                .replaceWithVoid();
    }

    /**
     * Deletes every row of the erasure's customers from bronze, silver and gold, and writes their {@code erased}
     * change to the outbox, in one transaction; the item is the rows deleted per table. Run again, it finds nothing.
     */
    public Uni<Map<String, Integer>> eraseProfiles(UUID erasureId, List<UUID> customers) {
        Tuple ids = Tuple.of(customers.toArray(UUID[]::new));
        Map<String, Integer> deleted = new LinkedHashMap<>();
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT customer_id FROM profile.customers WHERE customer_id = ANY($1::uuid[]) FOR UPDATE")
                .execute(ids)
                .chain(() -> identities(tx, customers))
                .chain(identities -> {
                    String[] userIds = valuesOf(identities, IdentityType.userId);
                    String[] anonymousIds = valuesOf(identities, IdentityType.anonymousId);
                    String[] values = identities.stream().map(Identity::value).toArray(String[]::new);
                    // Raw events: those the customer's rows came from, then any other sent under their user or anonymous ids.
                    return count(deleted, "raw_events", tx.preparedQuery("""
                            DELETE FROM profile.raw_events WHERE id IN (
                                SELECT raw_event_id FROM profile.interactions WHERE customer_id = ANY($1::uuid[])
                                UNION SELECT raw_event_id FROM profile.transactions WHERE customer_id = ANY($1::uuid[])
                                UNION SELECT r.id FROM profile.raw_events r JOIN (
                                    SELECT source, message_id FROM profile.consent_changes WHERE customer_id = ANY($1::uuid[])
                                    UNION SELECT source, message_id FROM profile.quality_issues WHERE customer_id = ANY($1::uuid[])
                                ) m ON m.source = r.source AND m.message_id = r.message_id)""").execute(ids))
                            .chain(() -> count(deleted, "raw_events", tx.preparedQuery(
                                    "DELETE FROM profile.raw_events WHERE user_id = ANY($1::text[]) OR anonymous_id = ANY($2::text[])")
                                    .execute(Tuple.of(userIds, anonymousIds))))
                            .chain(() -> deleteByCustomer(tx, ids, deleted, 0))
                            .chain(() -> count(deleted, "email_folds_pending",
                                    tx.preparedQuery("DELETE FROM profile.email_folds_pending WHERE old_value = ANY($1::text[])").execute(Tuple.of((Object) values))))
                            .chain(() -> count(deleted, "customers",
                                    tx.preparedQuery("DELETE FROM profile.customers WHERE customer_id = ANY($1::uuid[])").execute(ids)))
                            // Dated back past the relay's wait: no writer sends these, the relay does, now.
                            .chain(() -> tx.preparedQuery("""
                                    INSERT INTO profile.change_outbox (events, created_at) VALUES ($1, now() - interval '1 minute')""")
                                    .execute(Tuple.of(erasedChanges(customers))));
                })
                .replaceWith(deleted));
    }

    private static Uni<Void> deleteByCustomer(SqlClient tx, Tuple ids, Map<String, Integer> deleted, int table) {
        if (table == CUSTOMER_TABLES.size()) {
            return Uni.createFrom().voidItem();
        }
        String name = CUSTOMER_TABLES.get(table);
        return count(deleted, name, tx.preparedQuery("DELETE FROM profile." + name + " WHERE customer_id = ANY($1::uuid[])").execute(ids))
                .chain(() -> deleteByCustomer(tx, ids, deleted, table + 1));
    }

    private static Uni<Void> count(Map<String, Integer> deleted, String table, Uni<RowSet<Row>> delete) {
        return delete.invoke(rows -> deleted.merge(table, rows.rowCount(), Integer::sum)).replaceWithVoid();
    }

    private String erasedChanges(List<UUID> customers) {
        ArrayNode events = json.createArrayNode();
        Instant now = Instant.now();
        for (UUID customer : customers) {
            events.add(json.valueToTree(new ProfileChanged(UUID.randomUUID(), customer, List.of(ProfileChanged.ERASED), List.of(), now,
                    ProfileChanged.SCHEMA_VERSION)));
        }
        return events.toString();
    }

    private static String[] valuesOf(List<Identity> identities, IdentityType type) {
        return identities.stream().filter(identity -> identity.type() == type).map(Identity::value).toArray(String[]::new);
    }

    /** The oldest open erasure due for its next step, taken for {@code lease} (another replica takes it after that). */
    public Uni<Optional<Claimed>> claim(Duration lease) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE profile.erasures SET next_attempt_at = now() + make_interval(secs => $1)
                WHERE id = (SELECT id FROM profile.erasures WHERE status = 'ERASING' AND next_attempt_at <= now()
                            ORDER BY seq FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, step, attempts""").execute(Tuple.of((double) lease.toSeconds()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<Claimed>empty());
                    }
                    Row row = rows.iterator().next();
                    UUID id = row.getUUID("id");
                    return tx.preparedQuery("SELECT customer_id FROM profile.erasure_customers WHERE erasure_id = $1 ORDER BY customer_id")
                            .execute(Tuple.of(id))
                            .map(customers -> Optional.of(new Claimed(id, row.getString("step"), row.getInteger("attempts"),
                                    uuids(customers, "customer_id"))));
                }));
    }

    /** The step is done: {@code report} joins the progress under {@code key} and {@code next} is under way. */
    public Uni<Void> stepDone(UUID id, String key, Object report, String next) {
        return pool.preparedQuery("""
                UPDATE profile.erasures SET step = $2, progress = progress || jsonb_build_object($3::text, $4::text::jsonb),
                    waiting_for = NULL, attempts = 0, next_attempt_at = now()
                WHERE id = $1""").execute(Tuple.of(id, next, key, write(report))).replaceWithVoid();
    }

    /** The step waits: why, with what it did so far (when {@code key} is given), tried again after {@code delay}. */
    public Uni<Void> waiting(UUID id, String why, String key, Object report, Duration delay, boolean failed) {
        return pool.preparedQuery("""
                UPDATE profile.erasures SET waiting_for = $2, attempts = attempts + $5,
                    progress = CASE WHEN $3::text IS NULL THEN progress ELSE progress || jsonb_build_object($3::text, $4::text::jsonb) END,
                    next_attempt_at = now() + make_interval(secs => $6)
                WHERE id = $1""")
                .execute(Tuple.of(id, why, key, write(report)).addInteger(failed ? 1 : 0).addDouble(delay.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    /** Every step is done: the erasure completes and forgets its customers' ids. */
    public Uni<Void> complete(UUID id, String key, Object report) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE profile.erasures SET status = 'COMPLETED', step = 'DONE', completed_at = now(), waiting_for = NULL,
                    progress = progress || jsonb_build_object($2::text, $3::text::jsonb)
                WHERE id = $1""").execute(Tuple.of(id, key, write(report)))
                .chain(() -> tx.preparedQuery("DELETE FROM profile.erasure_customers WHERE erasure_id = $1").execute(Tuple.of(id))))
                .replaceWithVoid();
    }

    public Uni<Erasure> get(UUID id) {
        return get(pool, id);
    }

    private Uni<Erasure> get(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM profile.erasures WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? erasure(rows.iterator().next()) : null);
    }

    /** Newest first; {@code before} is the cursor (a {@code seq}); {@code status} filters when given. */
    public Uni<Page<Erasure>> list(String status, Long before, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                 FROM profile.erasures WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR seq < $2)
                ORDER BY seq DESC LIMIT $3""").execute(Tuple.of(status, before, limit))
                .map(rows -> {
                    List<Erasure> items = new ArrayList<>();
                    long last = 0;
                    for (Row row : rows) {
                        items.add(erasure(row));
                        last = row.getLong("seq");
                    }
                    return new Page<>(items, items.size() < limit ? null : String.valueOf(last));
                });
    }

    private Erasure erasure(Row row) {
        return new Erasure(row.getUUID("id"), row.getString("status"), row.getString("step"), row.getString("requested_by"),
                instant(row, "requested_at"), row.getString("identifier_type"), row.getInteger("customers"), row.getInteger("suppressed"),
                read(row.getString("progress")), row.getString("waiting_for"), instant(row, "completed_at"));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
    }

    private static List<UUID> uuids(RowSet<Row> rows, String column) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID(column)));
        return ids;
    }

    private String write(Object report) {
        try {
            return json.writeValueAsString(report == null ? json.createObjectNode() : report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    /** An open erasure taken by this instance for its next step. */
    public record Claimed(UUID id, String step, int attempts, List<UUID> customers) {
    }

}
