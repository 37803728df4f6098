package dev.cdp.profile.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.IsoTimes;
import dev.cdp.events.ProfileChanged;
import dev.cdp.events.RawEvent;
import dev.cdp.events.TransactionFacts;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.BatchPlanner.EventCountDelta;
import dev.cdp.profile.service.BatchPlanner.FactsDelta;
import dev.cdp.profile.service.BatchPlanner.NewIdentity;
import dev.cdp.profile.service.BatchPlanner.Plan;
import dev.cdp.profile.service.CustomerState;
import dev.cdp.profile.service.EventReader.Read;
import dev.cdp.profile.service.WriteConflict;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The SQL of a consumed batch, set-based: every statement writes all the batch's rows of one kind at once (arrays
 * through {@code unnest}, or a JSON array through {@code jsonb_to_recordset}), so a batch costs about fifteen round
 * trips whatever its size.
 */
@ApplicationScoped
public class BatchRepository {

    private static final String PROFILE_COLUMNS = String.join(", ", CustomerState.COLUMNS);

    private final ObjectMapper json;

    public BatchRepository(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Stores raw events not stored before ((source, messageId) is unique), each as the record was received; the item
     * maps the index of each new one to its row id. A message repeated within the batch counts once.
     */
    public Uni<Map<Integer, Long>> insertRaw(SqlConnection connection, List<Read> reads) {
        int n = reads.size();
        String[] sources = new String[n];
        String[] messageIds = new String[n];
        String[] types = new String[n];
        String[] userIds = new String[n];
        String[] anonymousIds = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        Buffer[] payloads = new Buffer[n];
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RawEvent event = reads.get(i).event();
            sources[i] = event.source();
            messageIds[i] = event.messageId();
            types[i] = event.type();
            userIds[i] = event.userId();
            anonymousIds[i] = event.anonymousId();
            occurred[i] = utc(event.occurredAt());
            received[i] = utc(event.receivedAt());
            payloads[i] = Buffer.buffer(reads.get(i).received());
            indexOf.putIfAbsent(event.source() + '\u0000' + event.messageId(), i);
        }
        return connection.preparedQuery("""
                INSERT INTO profile.raw_events (source, message_id, type, user_id, anonymous_id, occurred_at, received_at, payload)
                SELECT s, m, t, u, a, o, r, convert_from(p, 'UTF8')
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::bytea[])
                     AS x(s, m, t, u, a, o, r, p)
                ON CONFLICT (source, message_id) DO NOTHING
                RETURNING id, source, message_id""")
                .execute(columns(sources, messageIds, types, userIds, anonymousIds, occurred, received, payloads))
                .map(rows -> {
                    Map<Integer, Long> stored = new HashMap<>();
                    for (Row row : rows) {
                        stored.put(indexOf.get(row.getString("source") + '\u0000' + row.getString("message_id")), row.getLong("id"));
                    }
                    return stored;
                });
    }

    /**
     * The owner of identifier {@code q}, looked up by key, for a {@code LATERAL} join. {@code LIMIT 1} keeps it a
     * lookup per identifier whatever the statistics say (a subquery with a limit is never flattened): joined plainly, a young table's stale statistics had it planned as a hash join over every
     * identity, a full scan each batch (20 ms a batch of 1,000 messages at 300,000 identities).
     */
    private static final String OWNER_OF_Q =
            "SELECT customer_id FROM profile.identities i WHERE i.id_type = q.id_type AND i.id_value = q.id_value LIMIT 1";

    /** The identifiers as two parallel arrays, types and values. */
    private static Tuple identifierArrays(Collection<Identity> identifiers) {
        return Tuple.of(identifiers.stream().map(identity -> identity.type().name()).toArray(String[]::new),
                identifiers.stream().map(Identity::value).toArray(String[]::new));
    }

    /** Every identifier of some customers, and its owner. */
    public record Identities(Map<Identity, UUID> owners, Map<UUID, Set<Identity>> identitiesOf) {
    }

    /**
     * Every identifier of the given customers. A statement of its own, after their locks: it sees what the writer
     * that held one of them last committed.
     */
    public Uni<Identities> identitiesOf(SqlConnection connection, Collection<UUID> customers) {
        return connection.preparedQuery("SELECT id_type, id_value, customer_id FROM profile.identities WHERE customer_id = ANY($1::uuid[])")
                .execute(Tuple.of(customers.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<Identity, UUID> owners = new HashMap<>();
                    Map<UUID, Set<Identity>> identitiesOf = new HashMap<>();
                    for (Row row : rows) {
                        Identity identity = new Identity(IdentityType.valueOf(row.getString("id_type")), row.getString("id_value"));
                        UUID customer = row.getUUID("customer_id");
                        owners.put(identity, customer);
                        identitiesOf.computeIfAbsent(customer, key -> new HashSet<>()).add(identity);
                    }
                    return new Identities(owners, identitiesOf);
                });
    }

    /**
     * Advisory locks on new identifiers: their own key space (two int keys), 512 buckets of identifiers, so a writer
     * holds at most 512 such locks. PostgreSQL's lock table holds max_locks_per_transaction (64) times
     * max_connections (100) locks for the whole server; more buckets would fill it while many customers are new.
     */
    private static final int CLAIMS = 0x43445031;
    private static final int CLAIM_BUCKETS = 512;

    /**
     * Takes the right to claim the given new identifiers for this transaction: a lock on each one's bucket, which
     * another writer claiming an identifier of the same bucket holds until it commits. Answers the identifiers whose
     * bucket another writer holds (with {@code wait}, it waits for them instead, in bucket order, and answers none).
     * Buckets, not identifiers: PostgreSQL's lock table holds a few thousand locks in all.
     */
    public Uni<Set<Identity>> lockClaims(SqlConnection connection, Collection<Identity> identifiers, boolean wait) {
        Map<Integer, List<Identity>> byBucket = new HashMap<>();
        for (Identity identity : identifiers) {
            int bucket = Math.floorMod((identity.type().name() + '\u0000' + identity.value()).hashCode(), CLAIM_BUCKETS);
            byBucket.computeIfAbsent(bucket, key -> new ArrayList<>()).add(identity);
        }
        Tuple buckets = Tuple.of(CLAIMS, byBucket.keySet().stream().sorted().toArray(Integer[]::new));
        if (wait) {
            return connection.preparedQuery("SELECT pg_advisory_xact_lock($1, b) FROM unnest($2::int[]) WITH ORDINALITY AS x(b, n) ORDER BY n")
                    .execute(buckets).replaceWith(Set.of());
        }
        return connection.preparedQuery("SELECT b FROM unnest($2::int[]) AS x(b) WHERE NOT pg_try_advisory_xact_lock($1, b)")
                .execute(buckets)
                .map(rows -> {
                    Set<Identity> held = new HashSet<>();
                    rows.forEach(row -> held.addAll(byBucket.get(row.getInteger("b"))));
                    return held;
                });
    }

    /** Which of the given identifiers belong to a customer now (committed since the batch read them as new). */
    public Uni<Set<Identity>> owned(SqlConnection connection, Collection<Identity> identifiers) {
        return connection.preparedQuery("""
                SELECT q.id_type, q.id_value FROM unnest($1::text[], $2::text[]) AS q(id_type, id_value)
                CROSS JOIN LATERAL (%s) i""".formatted(OWNER_OF_Q))
                .execute(identifierArrays(identifiers))
                .map(rows -> {
                    Set<Identity> owned = new HashSet<>();
                    rows.forEach(row -> owned.add(new Identity(IdentityType.valueOf(row.getString("id_type")), row.getString("id_value"))));
                    return owned;
                });
    }

    /** The customers who own a batch's identifiers: those this transaction locked, and those another writer holds. */
    public record Owners(Map<UUID, CustomerState> locked, Set<UUID> held) {

        public Set<UUID> all() {
            Set<UUID> all = new HashSet<>(locked.keySet());
            all.addAll(held);
            return all;
        }
    }

    /**
     * Finds the customers who own any of the given identifiers, and loads and locks them, but those another writer
     * holds: they are only named ({@code SKIP LOCKED}), unless {@code wait} (then they are waited for, in id order,
     * so two writers never deadlock). A customer merged by another writer meanwhile is a {@link WriteConflict}: the
     * batch is planned again.
     */
    public Uni<Owners> lockOwners(SqlConnection connection, Collection<Identity> owning, boolean wait) {
        // Two kinds of rows, the locked customers and then every owner, rather than a join of the two: the row counts
        // the planner guesses for such CTEs (as low as 1) had it join them by nested loop, quadratic in the batch.
        return connection.preparedQuery("""
                WITH owners AS MATERIALIZED (
                    SELECT DISTINCT i.customer_id FROM unnest($1::text[], $2::text[]) AS q(id_type, id_value)
                    CROSS JOIN LATERAL (%s) i),
                locked AS MATERIALIZED (
                    SELECT customer_id, merged_into, %s, field_times::text AS field_times FROM profile.customers
                    WHERE customer_id = ANY (ARRAY(SELECT customer_id FROM owners)) %s)
                SELECT NULL::uuid AS owner, l.* FROM locked l
                UNION ALL SELECT customer_id%s FROM owners"""
                .formatted(OWNER_OF_Q, PROFILE_COLUMNS.replace("preferences", "preferences::text AS preferences"),
                        wait ? "ORDER BY customer_id FOR UPDATE" : "FOR UPDATE SKIP LOCKED",
                        ", NULL".repeat(CustomerState.COLUMNS.size() + 3)))
                .execute(identifierArrays(owning))
                .map(rows -> {
                    Map<UUID, CustomerState> states = new HashMap<>();
                    Set<UUID> held = new HashSet<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("customer_id");
                        if (id == null) {
                            held.add(row.getUUID("owner")); // every owner; those locked are taken out below
                            continue;
                        }
                        if (row.getUUID("merged_into") != null) {
                            throw new WriteConflict("merged", "another writer merged a customer of this batch");
                        }
                        Map<String, Object> columns = new HashMap<>();
                        for (String column : CustomerState.COLUMNS) {
                            Object value = row.getValue(column);
                            if (value != null) {
                                columns.put(column, value instanceof String text && column.equals("country_code") ? text.strip() : value);
                            }
                        }
                        states.put(id, new CustomerState(id, true, columns, fieldTimes(row.getString("field_times"))));
                    }
                    held.removeAll(states.keySet());
                    return new Owners(states, held);
                });
    }

    /** Writes a planned batch; the item is the change events written to the outbox. */
    public Uni<List<OutboxEvent>> write(SqlConnection connection, Plan plan) {
        // Customers first: a merge may move rows to a customer this batch creates.
        return upsertCustomers(connection, plan)
                .chain(() -> merge(connection, plan))
                .chain(() -> insertIdentities(connection, plan))
                .chain(() -> insertInteractions(connection, plan))
                .chain(() -> insertTransactions(connection, plan))
                .chain(() -> insertConsents(connection, plan))
                .chain(() -> insertIssues(connection, plan))
                .chain(() -> recomputeFacts(connection, plan.recomputeFacts()))
                .chain(() -> addFacts(connection, plan.facts()))
                .chain(() -> addEventCounts(connection, plan.eventCounts()))
                .chain(() -> insertOutbox(connection, plan));
    }

    /** Moves everything of each absorbed customer to the one that absorbed it; the absorbed id leads there. */
    private Uni<Void> merge(SqlConnection connection, Plan plan) {
        if (plan.mergedInto().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple pairs = Tuple.of(plan.mergedInto().keySet().toArray(UUID[]::new), plan.mergedInto().values().toArray(UUID[]::new));
        UUID[] losers = plan.mergedInto().keySet().toArray(UUID[]::new);
        // "= ANY" keeps the plan an index scan per loser even when the statistics are stale (a table that grew fast):
        // a join with unnest was planned as a hash join over the whole table, tens of milliseconds a batch.
        String move = " SET customer_id = ($2::uuid[])[array_position($1::uuid[], t.customer_id)] WHERE t.customer_id = ANY($1::uuid[])";
        return connection.preparedQuery("UPDATE profile.identities t" + move).execute(pairs)
                .chain(() -> connection.preparedQuery("UPDATE profile.interactions t" + move).execute(pairs))
                .chain(() -> connection.preparedQuery("UPDATE profile.transactions t" + move).execute(pairs))
                .chain(() -> connection.preparedQuery("UPDATE profile.consent_changes t" + move).execute(pairs))
                .chain(() -> connection.preparedQuery("UPDATE profile.quality_issues t" + move).execute(pairs))
                .chain(() -> connection.preparedQuery("""
                        UPDATE profile.customers t SET merged_into = m.winner, updated_at = now()
                        FROM unnest($1::uuid[], $2::uuid[]) AS m(loser, winner)
                        WHERE t.customer_id = m.loser OR t.merged_into = m.loser""").execute(pairs))
                .chain(() -> connection.preparedQuery("DELETE FROM profile.customer_facts WHERE customer_id = ANY($1::uuid[])")
                        .execute(Tuple.of(losers)))
                .chain(() -> connection.preparedQuery("DELETE FROM profile.customer_event_counts WHERE customer_id = ANY($1::uuid[])")
                        .execute(Tuple.of(losers)))
                .replaceWithVoid();
    }

    /**
     * Inserts new customers and rewrites the profile of changed ones, in one statement. Customers who only did
     * something (a page view, a purchase) are not rewritten: their activity lives in silver and the facts.
     */
    private Uni<Void> upsertCustomers(SqlConnection connection, Plan plan) {
        ArrayNode rows = json.createArrayNode();
        for (CustomerState state : plan.customers()) {
            if (!state.rowChanged()) {
                continue;
            }
            ObjectNode row = rows.addObject();
            row.put("customer_id", state.id().toString());
            for (String column : CustomerState.COLUMNS) {
                Object value = state.column(column);
                if (value instanceof Boolean flag) {
                    row.put(column, flag);
                } else if (value != null && column.equals("preferences")) {
                    row.set(column, readTree(value.toString()));
                } else if (value != null) {
                    row.put(column, value.toString());
                }
            }
            ObjectNode times = row.putObject("field_times");
            state.fieldTimes().forEach((field, at) -> times.put(field, at.toString()));
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String updates = String.join(", ", CustomerState.COLUMNS.stream().map(c -> c + " = excluded." + c).toList());
        return connection.preparedQuery("""
                INSERT INTO profile.customers (customer_id, %1$s, field_times)
                SELECT customer_id, %1$s, field_times
                FROM jsonb_to_recordset($1::text::jsonb) AS x(customer_id uuid, first_name text, last_name text, email text,
                     email_normalized text, phone text, phone_e164 text, birth_date date, gender text, city text,
                     city_normalized text, state text, postal_code text, country_code text, segment text, loyalty_card text,
                     preferences jsonb, consent_email boolean, consent_sms boolean, consent_advertising boolean,
                     field_times jsonb)
                ON CONFLICT (customer_id) DO UPDATE SET %2$s, field_times = excluded.field_times, updated_at = now()"""
                .formatted(PROFILE_COLUMNS, updates))
                .execute(Tuple.of(rows.toString()))
                .replaceWithVoid();
    }

    /** New identifiers; one another writer claimed first is a {@link WriteConflict}. */
    private Uni<Void> insertIdentities(SqlConnection connection, Plan plan) {
        // In one order for every writer: two claiming the same new identifiers then wait for each other, not deadlock
        var rows = plan.identities().stream().sorted(Comparator.comparing((NewIdentity row) -> row.identity().type())
                .thenComparing(row -> row.identity().value())).toList();
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                INSERT INTO profile.identities (id_type, id_value, customer_id)
                SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
                ON CONFLICT (id_type, id_value) DO NOTHING""")
                .execute(columns(
                        array(rows, row -> row.identity().type().name(), String[]::new),
                        array(rows, row -> row.identity().value(), String[]::new),
                        array(rows, row -> row.customerId(), UUID[]::new)))
                .map(result -> {
                    if (result.rowCount() < rows.size()) {
                        throw new WriteConflict("claimed", "another writer claimed an identifier of this batch first");
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    private Uni<Void> insertInteractions(SqlConnection connection, Plan plan) {
        var rows = plan.interactions();
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                INSERT INTO profile.interactions (customer_id, raw_event_id, type, event_name, properties, source, channel, occurred_at,
                                                  name, category, context)
                SELECT c, r, t, e, p::jsonb, s, ch, o, n, ca, cx::jsonb
                FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                            $9::text[], $10::text[], $11::text[])
                     AS x(c, r, t, e, p, s, ch, o, n, ca, cx)""")
                .execute(columns(
                        array(rows, row -> row.customerId(), UUID[]::new),
                        array(rows, row -> row.rawEventId(), Long[]::new),
                        array(rows, row -> row.fact().type(), String[]::new),
                        array(rows, row -> row.fact().eventName(), String[]::new),
                        array(rows, row -> row.fact().propertiesJson(), String[]::new),
                        array(rows, row -> row.source(), String[]::new),
                        array(rows, row -> row.fact().channel(), String[]::new),
                        array(rows, row -> utc(row.occurredAt()), OffsetDateTime[]::new),
                        array(rows, row -> row.fact().name(), String[]::new),
                        array(rows, row -> row.fact().category(), String[]::new),
                        array(rows, row -> row.fact().contextJson(), String[]::new)))
                .replaceWithVoid();
    }

    private Uni<Void> insertTransactions(SqlConnection connection, Plan plan) {
        var rows = plan.transactions();
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                INSERT INTO profile.transactions (customer_id, raw_event_id, transaction_id, type, amount, currency, store_id,
                                                  items, source, occurred_at)
                SELECT c, r, id, t, a::numeric, cu, st, i::jsonb, s, o
                FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::timestamptz[]) AS x(c, r, id, t, a, cu, st, i, s, o)""")
                .execute(columns(
                        array(rows, row -> row.customerId(), UUID[]::new),
                        array(rows, row -> row.rawEventId(), Long[]::new),
                        array(rows, row -> row.transactionId(), String[]::new),
                        array(rows, row -> row.type(), String[]::new),
                        array(rows, row -> row.amount().toPlainString(), String[]::new),
                        array(rows, row -> row.currency(), String[]::new),
                        array(rows, row -> row.storeId(), String[]::new),
                        array(rows, row -> row.itemsJson(), String[]::new),
                        array(rows, row -> row.source(), String[]::new),
                        array(rows, row -> utc(row.occurredAt()), OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    private Uni<Void> insertConsents(SqlConnection connection, Plan plan) {
        var rows = plan.consents();
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                INSERT INTO profile.consent_changes (customer_id, channel, granted, source, message_id, occurred_at)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::timestamptz[])""")
                .execute(columns(
                        array(rows, row -> row.customerId(), UUID[]::new),
                        array(rows, row -> row.channel(), String[]::new),
                        array(rows, row -> row.granted(), Boolean[]::new),
                        array(rows, row -> row.source(), String[]::new),
                        array(rows, row -> row.messageId(), String[]::new),
                        array(rows, row -> utc(row.occurredAt()), OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    private Uni<Void> insertIssues(SqlConnection connection, Plan plan) {
        var rows = plan.issues();
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                INSERT INTO profile.quality_issues (customer_id, field, value, problem, source, message_id, occurred_at)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])""")
                .execute(columns(
                        array(rows, row -> row.customerId(), UUID[]::new),
                        array(rows, row -> row.field(), String[]::new),
                        array(rows, row -> row.value(), String[]::new),
                        array(rows, row -> row.problem(), String[]::new),
                        array(rows, row -> row.source(), String[]::new),
                        array(rows, row -> row.messageId(), String[]::new),
                        array(rows, row -> utc(row.occurredAt()), OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** Facts from silver, for customers that absorbed others; also the definition the tests check the deltas against. */
    public Uni<Void> recomputeFacts(SqlConnection connection, Set<UUID> customers) {
        if (customers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple ids = Tuple.of(customers.toArray(UUID[]::new));
        return connection.preparedQuery("DELETE FROM profile.customer_facts WHERE customer_id = ANY($1::uuid[])").execute(ids)
                .chain(() -> connection.preparedQuery("""
                        INSERT INTO profile.customer_facts
                        SELECT c.id, coalesce(t.n, 0), coalesce(t.total, 0), coalesce(t.pn, 0), coalesce(t.pt, 0),
                               coalesce(t.fn, 0), coalesce(t.ft, 0), coalesce(t.mn, 0), coalesce(t.mt, 0), t.first_at, t.last_at,
                               coalesce(i.n, 0), i.last_at
                        FROM unnest($1::uuid[]) AS c(id)
                        LEFT JOIN LATERAL (
                            SELECT count(*) AS n, sum(amount) AS total,
                                   count(*) FILTER (WHERE type = 'PURCHASE') AS pn, sum(amount) FILTER (WHERE type = 'PURCHASE') AS pt,
                                   count(*) FILTER (WHERE type = 'FUEL') AS fn, sum(amount) FILTER (WHERE type = 'FUEL') AS ft,
                                   count(*) FILTER (WHERE type = 'MARKET') AS mn, sum(amount) FILTER (WHERE type = 'MARKET') AS mt,
                                   min(occurred_at) AS first_at, max(occurred_at) AS last_at
                            FROM profile.transactions WHERE customer_id = c.id) t ON true
                        LEFT JOIN LATERAL (
                            SELECT count(*) AS n, max(occurred_at) AS last_at FROM profile.interactions WHERE customer_id = c.id) i ON true""")
                        .execute(ids))
                .chain(() -> connection.preparedQuery("DELETE FROM profile.customer_event_counts WHERE customer_id = ANY($1::uuid[])").execute(ids))
                .chain(() -> connection.preparedQuery("""
                        INSERT INTO profile.customer_event_counts (customer_id, event_name, count, first_at, last_at)
                        SELECT customer_id, event_name, count(*), min(occurred_at), max(occurred_at)
                        FROM profile.interactions WHERE customer_id = ANY($1::uuid[]) GROUP BY customer_id, event_name""").execute(ids))
                .replaceWithVoid();
    }

    private Uni<Void> addFacts(SqlConnection connection, Map<UUID, FactsDelta> facts) {
        if (facts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<UUID, FactsDelta>> rows = new ArrayList<>(facts.entrySet());
        Tuple tuple = Tuple.of(array(rows, Map.Entry::getKey, UUID[]::new))
                .addArrayOfLong(array(rows, row -> row.getValue().transactionCount, Long[]::new))
                .addArrayOfString(array(rows, row -> row.getValue().transactionTotal.toPlainString(), String[]::new));
        for (String type : TransactionFacts.TYPES) {
            tuple.addArrayOfLong(array(rows, row -> row.getValue().countByType.getOrDefault(type, 0L), Long[]::new))
                    .addArrayOfString(array(rows, row -> row.getValue().totalByType.getOrDefault(type, BigDecimal.ZERO).toPlainString(), String[]::new));
        }
        tuple.addArrayOfOffsetDateTime(array(rows, row -> utc(row.getValue().firstTransactionAt), OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(array(rows, row -> utc(row.getValue().lastTransactionAt), OffsetDateTime[]::new))
                .addArrayOfLong(array(rows, row -> row.getValue().interactionCount, Long[]::new))
                .addArrayOfOffsetDateTime(array(rows, row -> utc(row.getValue().lastInteractionAt), OffsetDateTime[]::new));
        return connection.preparedQuery("""
                INSERT INTO profile.customer_facts AS f
                SELECT c, tn, tt::numeric, pn, pt::numeric, fn, ft::numeric, mn, mt::numeric, fa, la, n, li
                FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[],
                            $8::bigint[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::bigint[], $13::timestamptz[])
                     AS x(c, tn, tt, pn, pt, fn, ft, mn, mt, fa, la, n, li)
                ON CONFLICT (customer_id) DO UPDATE SET
                    transaction_count = f.transaction_count + excluded.transaction_count,
                    transaction_total = f.transaction_total + excluded.transaction_total,
                    purchase_count = f.purchase_count + excluded.purchase_count,
                    purchase_total = f.purchase_total + excluded.purchase_total,
                    fuel_count = f.fuel_count + excluded.fuel_count,
                    fuel_total = f.fuel_total + excluded.fuel_total,
                    market_count = f.market_count + excluded.market_count,
                    market_total = f.market_total + excluded.market_total,
                    first_transaction_at = least(f.first_transaction_at, excluded.first_transaction_at),
                    last_transaction_at = greatest(f.last_transaction_at, excluded.last_transaction_at),
                    interaction_count = f.interaction_count + excluded.interaction_count,
                    last_interaction_at = greatest(f.last_interaction_at, excluded.last_interaction_at)""")
                .execute(tuple)
                .replaceWithVoid();
    }

    private Uni<Void> addEventCounts(SqlConnection connection, Map<UUID, Map<String, EventCountDelta>> counts) {
        List<UUID> customers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<EventCountDelta> deltas = new ArrayList<>();
        counts.forEach((customer, byName) -> byName.forEach((name, delta) -> {
            customers.add(customer);
            names.add(name);
            deltas.add(delta);
        }));
        if (customers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                INSERT INTO profile.customer_event_counts AS e (customer_id, event_name, count, first_at, last_at)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::timestamptz[], $5::timestamptz[])
                ON CONFLICT (customer_id, event_name) DO UPDATE SET count = e.count + excluded.count,
                    first_at = least(e.first_at, excluded.first_at), last_at = greatest(e.last_at, excluded.last_at)""")
                .execute(columns(customers.toArray(UUID[]::new), names.toArray(String[]::new),
                        array(deltas, delta -> delta.count, Long[]::new),
                        array(deltas, delta -> utc(delta.firstAt), OffsetDateTime[]::new),
                        array(deltas, delta -> utc(delta.lastAt), OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** A change event waiting in the outbox row {@code outboxId}. */
    public record OutboxEvent(long outboxId, UUID customerId, String json) {
    }

    /**
     * The batch's change events, one per customer it changed, in one outbox row written with the data: a JSON array
     * kept as text, since PostgreSQL never looks inside it (parsing it as jsonb cost about 5 µs a message).
     */
    private Uni<List<OutboxEvent>> insertOutbox(SqlConnection connection, Plan plan) {
        List<UUID> customers = new ArrayList<>();
        List<String> events = new ArrayList<>();
        Instant now = Instant.now();
        for (CustomerState state : plan.customers()) {
            if (!state.changes().isEmpty()) {
                customers.add(state.id());
                events.add(write(new ProfileChanged(UUID.randomUUID(), state.id(), state.changes(),
                        plan.mergedFrom().getOrDefault(state.id(), List.of()), now, ProfileChanged.SCHEMA_VERSION)));
            }
        }
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("INSERT INTO profile.change_outbox (events) VALUES ($1) RETURNING id")
                .execute(Tuple.of("[" + String.join(",", events) + "]"))
                .map(rows -> {
                    long id = rows.iterator().next().getLong("id");
                    List<OutboxEvent> written = new ArrayList<>(events.size());
                    for (int i = 0; i < events.size(); i++) {
                        written.add(new OutboxEvent(id, customers.get(i), events.get(i)));
                    }
                    return written;
                });
    }

    /**
     * Change events not yet sent, from the oldest {@code rows} outbox rows older than 30 s (left by a crash or a
     * Kafka outage; younger ones belong to a writer that is sending them now).
     */
    public Uni<List<OutboxEvent>> pendingOutbox(SqlConnection connection, int rows) {
        return connection.preparedQuery("""
                SELECT id, events FROM profile.change_outbox WHERE created_at < now() - interval '30 seconds' ORDER BY id LIMIT $1""")
                .execute(Tuple.of(rows))
                .map(result -> {
                    List<OutboxEvent> events = new ArrayList<>();
                    for (Row row : result) {
                        for (JsonNode event : readTree(row.getString("events"))) {
                            events.add(new OutboxEvent(row.getLong("id"), UUID.fromString(event.get("customerId").asText()), event.toString()));
                        }
                    }
                    return events;
                });
    }

    public Uni<Void> deleteOutbox(SqlConnection connection, List<Long> ids) {
        return connection.preparedQuery("DELETE FROM profile.change_outbox WHERE id = ANY($1::bigint[])")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    private Map<String, Instant> fieldTimes(String text) {
        Map<String, Instant> times = new HashMap<>();
        readTree(text).properties().forEach(entry -> {
            Instant fast = IsoTimes.parse(entry.getValue().asText());
            times.put(entry.getKey(), fast != null ? fast : Instant.parse(entry.getValue().asText()));
        });
        return times;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T, R> R[] array(List<T> rows, Function<T, R> column, IntFunction<R[]> make) {
        R[] values = make.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }

    /** A tuple of array parameters, one per column (at least two). */
    private static Tuple columns(Object... arrays) {
        return Tuple.from(arrays);
    }

    /** Not {@code instant.atOffset(UTC)}: that builds the offset's zone rules anew on every call. */
    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null
                : OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
    }
}
