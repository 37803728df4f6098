package dev.cdp.segment.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.MembershipChanged;
import dev.cdp.segment.config.SegmentConfig;
import dev.cdp.segment.definition.SqlCompiler.Compiled;
import dev.cdp.segment.domain.CompiledQuery;
import dev.cdp.segment.domain.Evaluation;
import dev.cdp.segment.domain.Membership;
import dev.cdp.segment.domain.Preview;
import dev.cdp.segment.domain.Segment;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Segments, their memberships and evaluations in the {@code segment} schema; members come from the profile read model. */
@ApplicationScoped
public class SegmentRepository {

    private static final String SEGMENT_COLUMNS = "id, name, description, definition::text AS definition, version, created_at, updated_at, size, last_evaluated_at";

    /** Rows fetched from the cursor at a time while streaming members: fewer round trips, a few MB at most. */
    private static final int STREAM_FETCH = 5000;

    /**
     * The properties of an activation line, from {@code profile.read_activation_identifiers_v1 a}: the streamed
     * members and the lookup give the same ones, named the same.
     */
    private static final String ACTIVATION_PROPERTIES = """
            a.customer_id AS "customerId", a.email, a.phone, a.first_name AS "firstName", a.last_name AS "lastName",
                   a.birth_date AS "birthDate", a.gender, a.city, a.state, a.postal_code AS "postalCode",
                   rtrim(a.country_code) AS "countryCode", a.consent_advertising AS "consentAdvertising",
                   a.consent_email AS "consentEmail", a.consent_sms AS "consentSms", coalesce(a.user_ids, '{}') AS "userIds\"""";

    /** Memberships an evaluation changes, from which on it refreshes the table's statistics ({@link #evaluate}). */
    private static final long ANALYZE_AFTER_CHANGES = 10_000;
    /** The settings every evaluation's transaction gets ({@link #evaluationSettings}); $1 is the work_mem. */
    private static final String EVALUATION_SETTINGS = "set_config('work_mem', $1, true), set_config('jit', 'off', true)";

    private final Pool pool;
    private final ObjectMapper json;
    private final String evaluationWorkMem;
    private final String evaluationRandomPageCost;

    public SegmentRepository(Pool pool, ObjectMapper json, SegmentConfig config) {
        this.pool = pool;
        this.json = json;
        this.evaluationWorkMem = config.evaluationWorkMem();
        this.evaluationRandomPageCost = Double.toString(config.evaluationRandomPageCost());
    }

    /**
     * For this transaction only: room to hash each windowed condition's customers (SqlCompiler), and no JIT
     * compilation, which took longer than it saved on evaluations of a second or less (docs/performance.md).
     */
    private Uni<Void> evaluationSettings(SqlConnection connection) {
        return connection.preparedQuery("SELECT " + EVALUATION_SETTINGS).execute(Tuple.of(evaluationWorkMem)).replaceWithVoid();
    }

    /**
     * The evaluations' settings, and costs for selecting members: planned as if only PostgreSQL's own buffers held
     * pages (no cache of the operating system counted on), random reads costing what they cost on solid-state storage.
     * With the server's defaults PostgreSQL counted every index page as cached and probed a window's index once per
     * candidate (36,000 probes, 29,000 pages read at random: 1.5-1.8 s with a cold cache); with these it reads the
     * window as one range and hashes it when many candidates ask, and still probes for a few (docs/performance.md). One
     * statement with the evaluations' settings.
     */
    private Uni<Void> selectionSettings(SqlConnection connection) {
        return connection.preparedQuery("SELECT " + EVALUATION_SETTINGS
                + ", set_config('random_page_cost', $2, true), set_config('effective_cache_size', current_setting('shared_buffers'), true)")
                .execute(Tuple.of(evaluationWorkMem, evaluationRandomPageCost)).replaceWithVoid();
    }

    public Uni<Segment> create(String name, String description, JsonNode definition) {
        return pool.preparedQuery("INSERT INTO segment.segments (name, description, definition) VALUES ($1, $2, $3::text::jsonb) RETURNING "
                + SEGMENT_COLUMNS).execute(Tuple.of(name, description, definition.toString())).map(rows -> segment(rows.iterator().next()));
    }

    /** Replaces name, description and definition; the version goes up when the definition changed. */
    public Uni<Optional<Segment>> update(UUID id, String name, String description, JsonNode definition) {
        return pool.preparedQuery("""
                UPDATE segment.segments SET name = $2, description = $3, definition = $4::text::jsonb, updated_at = now(),
                    version = version + CASE WHEN definition = $4::text::jsonb THEN 0 ELSE 1 END
                WHERE id = $1 RETURNING\s""" + SEGMENT_COLUMNS)
                .execute(Tuple.of(id, name, description, definition.toString()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(segment(rows.iterator().next())));
    }

    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM segment.segments WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<Segment>> find(UUID id) {
        return pool.preparedQuery("SELECT " + SEGMENT_COLUMNS + " FROM segment.segments WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(segment(rows.iterator().next())));
    }

    public Uni<List<Segment>> list() {
        return pool.query("SELECT " + SEGMENT_COLUMNS + " FROM segment.segments ORDER BY lower(name)").execute().map(this::segments);
    }

    /** Size and a sample of the members of an unsaved definition, in one snapshot. */
    public Uni<Preview> preview(Compiled members, Instant now, int sampleSize) {
        Tuple parameters = Tuple.from(members.parameters());
        int limit = members.parameters().size() + 1;
        parameters.addInteger(sampleSize);
        return pool.withTransaction(connection -> connection.preparedQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> selectionSettings(connection))
                .chain(() -> connection.preparedQuery("SELECT count(*) FROM (" + members.sql() + ") m").execute(Tuple.from(members.parameters())))
                .chain(count -> connection.preparedQuery("""
                        SELECT c.customer_id, c.city, c.segment, c.age, c.transaction_count
                        FROM (%s ORDER BY c.customer_id LIMIT $%d) m JOIN profile.read_customers_v1 c USING (customer_id)
                        ORDER BY c.customer_id""".formatted(members.sql(), limit)).execute(parameters)
                        .map(rows -> {
                            List<Preview.Member> sample = new ArrayList<>();
                            for (Row row : rows) {
                                sample.add(new Preview.Member(row.getUUID("customer_id").toString(), row.getString("city"), row.getString("segment"),
                                        row.getInteger("age"), row.getLong("transaction_count")));
                            }
                            return new Preview(count.iterator().next().getLong(0), sample, now,
                                    new CompiledQuery(members.sql(), members.parameters()));
                        })));
    }

    /**
     * Evaluates a segment in full in one transaction: the members now replace the stored ones; who entered and who
     * exited come from set differences in SQL (no ids travel to the service) and go to the outbox.
     */
    public Uni<Evaluation> evaluate(Segment segment, Compiled members, Instant now, String trigger) {
        long started = System.nanoTime();
        // The members are selected first into a temporary table: a statement that also writes (the diff) never runs
        // in parallel, and the selection over millions of rows is where parallel workers pay.
        return pool.withTransaction(connection -> lock(connection, new UUID[] {segment.id()})
                .chain(() -> selectionSettings(connection))
                .chain(() -> connection.preparedQuery("CREATE TEMP TABLE segment_candidates ON COMMIT DROP AS " + members.sql())
                        .execute(Tuple.from(members.parameters())))
                .chain(() -> connection.query("ANALYZE segment_candidates").execute())
                .chain(() -> replaceMembers(connection, segment, now))
                .chain(counts -> {
                    Evaluation evaluation = new Evaluation(segment.version(), now, counts[0], counts[1], counts[2],
                            (System.nanoTime() - started) / 1_000_000, trigger);
                    return record(connection, segment.id(), evaluation).replaceWith(evaluation);
                }))
                .call(evaluation -> evaluation.entered() + evaluation.exited() < ANALYZE_AFTER_CHANGES ? Uni.createFrom().voidItem()
                        // Statistics that know the segment's new size before its first export reads it: with the old ones
                        // PostgreSQL planned a million new members as one and looked each up (10-12 s of its time, not 3.5).
                        : pool.query("ANALYZE (SKIP_LOCKED) segment.memberships").execute().replaceWithVoid().onFailure().recoverWithNull());
    }

    /**
     * Re-evaluates some customers against several segments in one transaction and one statement: {@code members} is
     * {@link dev.cdp.segment.definition.SqlCompiler#membersAmong}'s query (rows of segment and customer; the customers
     * are its first parameter). They enter or exit, the changes go to the outbox and the sizes follow. The item is how
     * many entered or exited, over all segments. A segment deleted since the list was read is skipped; one that
     * still exists is held (FOR KEY SHARE) so that a delete waits for this transaction rather than break it.
     */
    public Uni<Long> reevaluate(List<Segment> segments, Compiled members, Instant now) {
        int first = members.parameters().size() + 1;
        Tuple parameters = Tuple.from(members.parameters())
                .addArrayOfUUID(segments.stream().map(Segment::id).toArray(UUID[]::new))
                .addArrayOfInteger(segments.stream().map(Segment::version).toArray(Integer[]::new))
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC));
        return pool.withTransaction(connection -> lock(connection, segments.stream().map(Segment::id).sorted().toArray(UUID[]::new))
                .chain(() -> connection.preparedQuery("""
                        WITH candidates AS MATERIALIZED (%1$s),
                        evaluated AS (SELECT * FROM unnest($%2$d::uuid[], $%3$d::int[]) AS e (segment_id, version)),
                        live AS MATERIALIZED (
                            SELECT id FROM segment.segments WHERE id = ANY($%2$d::uuid[]) FOR KEY SHARE),
                        entered AS (
                            INSERT INTO segment.memberships (segment_id, customer_id, entered_at)
                            SELECT segment_id, customer_id, $%4$d::timestamptz FROM candidates WHERE segment_id IN (SELECT id FROM live)
                            ON CONFLICT (segment_id, customer_id) DO NOTHING RETURNING segment_id, customer_id),
                        exited AS (
                            DELETE FROM segment.memberships m
                            WHERE m.segment_id = ANY($%2$d::uuid[]) AND m.customer_id = ANY($1::text[]::uuid[])
                            AND NOT EXISTS (SELECT 1 FROM candidates n WHERE n.segment_id = m.segment_id AND n.customer_id = m.customer_id)
                            RETURNING segment_id, customer_id),
                        changes AS (
                            SELECT segment_id, customer_id, 'ENTERED' AS change, 1 AS delta FROM entered
                            UNION ALL SELECT segment_id, customer_id, 'EXITED', -1 FROM exited),
                        outbox AS (
                            INSERT INTO segment.membership_outbox (segment_id, customer_id, change, definition_version, occurred_at)
                            SELECT c.segment_id, c.customer_id, c.change, e.version, $%4$d::timestamptz FROM changes c JOIN evaluated e USING (segment_id)),
                        sizes AS (
                            UPDATE segment.segments s SET size = s.size + d.delta
                            FROM (SELECT segment_id, sum(delta) AS delta FROM changes GROUP BY segment_id) d WHERE s.id = d.segment_id)
                        SELECT count(*) FROM changes""".formatted(members.sql(), first, first + 1, first + 2))
                        .execute(parameters))
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    /**
     * Evaluations of a segment take turns: a transaction-level advisory lock per segment, taken in id order, so a
     * full refresh and a customer's re-evaluation never interleave and two re-evaluations never deadlock.
     */
    private static Uni<Void> lock(SqlConnection connection, UUID[] segmentIds) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtext(id::text)) FROM unnest($1::uuid[]) AS id")
                .execute(Tuple.of(segmentIds)).replaceWithVoid();
    }

    /**
     * Makes the stored members of the segment equal the rows of {@code segment_candidates}; the caller holds the
     * segment's lock. The item is {size, entered, exited}.
     */
    private static Uni<long[]> replaceMembers(SqlConnection connection, Segment segment, Instant now) {
        // The diff compares two sets: hashed, never a loop over the candidates per stored member. A segment the
        // memberships' statistics do not know yet is estimated at one member, and that loop took 1.6 s for 5,695.
        // Only new members are inserted: an insert that finds its row already there costs an index probe each (23 ms
        // of a 30 ms diff for 11,367 unchanged members; 6 ms for the hashed comparison).
        return connection.query("SET LOCAL enable_nestloop = off").execute().chain(() -> connection.preparedQuery("""
                WITH entered AS (
                    INSERT INTO segment.memberships (segment_id, customer_id, entered_at)
                    SELECT $1, n.customer_id, $2 FROM segment_candidates n
                    WHERE NOT EXISTS (SELECT 1 FROM segment.memberships m WHERE m.segment_id = $1 AND m.customer_id = n.customer_id)
                    ON CONFLICT (segment_id, customer_id) DO NOTHING RETURNING customer_id),
                exited AS (
                    DELETE FROM segment.memberships m WHERE m.segment_id = $1
                    AND NOT EXISTS (SELECT 1 FROM segment_candidates n WHERE n.customer_id = m.customer_id) RETURNING customer_id),
                changes AS (
                    INSERT INTO segment.membership_outbox (segment_id, customer_id, change, definition_version, occurred_at)
                    SELECT $1::uuid, customer_id, 'ENTERED', $3::int, $2::timestamptz FROM entered
                    UNION ALL SELECT $1::uuid, customer_id, 'EXITED', $3::int, $2::timestamptz FROM exited)
                SELECT (SELECT count(*) FROM segment_candidates) AS size, (SELECT count(*) FROM entered) AS entered,
                       (SELECT count(*) FROM exited) AS exited""")
                .execute(Tuple.of(segment.id(), now.atOffset(ZoneOffset.UTC), segment.version()))
                .map(rows -> {
                    Row counts = rows.iterator().next();
                    return new long[] {counts.getLong("size"), counts.getLong("entered"), counts.getLong("exited")};
                }));
    }

    private Uni<Void> record(SqlConnection connection, UUID segmentId, Evaluation evaluation) {
        OffsetDateTime at = evaluation.evaluatedAt().atOffset(ZoneOffset.UTC);
        return connection.preparedQuery("""
                INSERT INTO segment.evaluations (segment_id, definition_version, evaluated_at, size, entered, exited, duration_ms, trigger)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(new Object[] {segmentId, evaluation.definitionVersion(), at, evaluation.size(), evaluation.entered(),
                        evaluation.exited(), evaluation.durationMs(), evaluation.trigger()}))
                .chain(() -> connection.preparedQuery("UPDATE segment.segments SET size = $2, last_evaluated_at = $3 WHERE id = $1")
                        .execute(Tuple.of(segmentId, evaluation.size(), at)))
                .replaceWithVoid();
    }

    /** Segments evaluated at least once: the ones kept current as profiles change. */
    public Uni<List<Segment>> evaluated() {
        return pool.query("SELECT " + SEGMENT_COLUMNS + " FROM segment.segments WHERE last_evaluated_at IS NOT NULL").execute().map(this::segments);
    }

    /**
     * Sends up to {@code limit} waiting membership changes with {@code send} and deletes them once it succeeds, in
     * one transaction; rows another replica is sending are skipped. The item is how many were sent.
     */
    public Uni<Integer> relayChanges(int limit, Function<List<MembershipChanged>, Uni<Void>> send) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                SELECT id, message_id, segment_id, customer_id, change, definition_version, occurred_at FROM segment.membership_outbox
                ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""").execute(Tuple.of(limit))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<MembershipChanged> changes = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        changes.add(new MembershipChanged(row.getUUID("message_id"), row.getUUID("segment_id"), row.getUUID("customer_id"),
                                row.getString("change"), row.getInteger("definition_version"), instant(row, "occurred_at"),
                                MembershipChanged.SCHEMA_VERSION));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return send.apply(changes)
                            .chain(() -> connection.preparedQuery("DELETE FROM segment.membership_outbox WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(Long[]::new))))
                            .replaceWith(ids.size());
                }));
    }

    /** Members after {@code after} (a customer id; null for the first page), in customer id order. */
    public Uni<List<Membership>> members(Segment segment, UUID after, int limit) {
        return pool.preparedQuery("""
                SELECT customer_id, entered_at FROM segment.memberships
                WHERE segment_id = $1 AND ($2::uuid IS NULL OR customer_id > $2) ORDER BY customer_id LIMIT $3""")
                .execute(Tuple.of(segment.id(), after, limit))
                .map(rows -> {
                    List<Membership> members = new ArrayList<>();
                    for (Row row : rows) {
                        members.add(new Membership(segment.id(), segment.name(), row.getUUID("customer_id"), instant(row, "entered_at")));
                    }
                    return members;
                });
    }

    /**
     * Every member with their activation identifiers and consents, one JSON object each as UTF-8 bytes (built by
     * PostgreSQL, so the service only passes bytes on), streamed from a database cursor: never the whole segment in
     * memory, in one read-only snapshot, in lists of up to {@value #STREAM_FETCH} lines (one hand-over between threads
     * per list, not per member). In customer id order when {@code inCustomerIdOrder} (a resumable sync needs it), else
     * in the order PostgreSQL reads them fastest: for a large segment one pass over the customers' table instead of
     * a lookup per member in id order. The objects' properties: customerId, email, phone, firstName, lastName,
     * birthDate, gender, city, state, postalCode, countryCode, consentAdvertising, consentEmail, consentSms, userIds.
     */
    public Multi<List<Buffer>> activationMembers(UUID segmentId, boolean inCustomerIdOrder) {
        return Multi.createFrom().resourceFromUni(pool::getConnection, connection -> connection.begin()
                // The evaluations' settings: no JIT (a million members in 5.5 s of PostgreSQL's time instead of 8.6), room to
                // hash the smaller side. A cursor runs without parallel workers, so a plan for them only misleads.
                .chain(() -> evaluationSettings(connection))
                .chain(() -> connection.query("SET LOCAL max_parallel_workers_per_gather = 0").execute())
                .onItem().transformToMulti(ignored -> connection.prepare("""
                        SELECT convert_to(row_to_json(r)::text, 'UTF8') AS line FROM (
                            SELECT %s
                            FROM segment.memberships m JOIN profile.read_activation_identifiers_v1 a ON a.customer_id = m.customer_id
                            WHERE m.segment_id = $1 %s) r""".formatted(ACTIVATION_PROPERTIES, inCustomerIdOrder ? "ORDER BY m.customer_id" : ""))
                        .onItem().transformToMulti(statement -> statement.createStream(STREAM_FETCH, Tuple.of(segmentId)).toMulti())))
                .withFinalizer(connection -> {
                    Transaction open = connection.transaction();
                    return (open == null ? Uni.createFrom().voidItem() : open.rollback().onFailure().recoverWithNull().replaceWithVoid())
                            .eventually(connection::close);
                })
                .map(row -> row.getBuffer(0))
                .group().intoLists().of(STREAM_FETCH);
    }

    /**
     * Whether each of {@code customerIds} is a member of the segment now, in one statement (one snapshot), one JSON
     * object per distinct customer in customer id order (PostgreSQL's uuid order, as the stream's). A customer in the
     * read model gets the properties of {@link #activationMembers} and {@code member}; one the read model does not
     * hold (never known, merged into another, deleted) gets only {@code customerId} and {@code member: false}, even if
     * a membership not yet re-evaluated still names them.
     */
    public Uni<List<String>> lookupMembers(UUID segmentId, UUID[] customerIds) {
        return pool.preparedQuery("""
                SELECT CASE WHEN a.customer_id IS NULL
                            THEN (SELECT row_to_json(u)::text FROM (SELECT q.customer_id AS "customerId", false AS member) u)
                            ELSE (SELECT row_to_json(r)::text FROM (SELECT %s,
                                   m.customer_id IS NOT NULL AS member) r)
                       END AS line
                FROM (SELECT DISTINCT customer_id FROM unnest($2::uuid[]) AS asked (customer_id)) q
                LEFT JOIN profile.read_activation_identifiers_v1 a ON a.customer_id = q.customer_id
                LEFT JOIN segment.memberships m ON m.segment_id = $1 AND m.customer_id = q.customer_id
                ORDER BY q.customer_id""".formatted(ACTIVATION_PROPERTIES))
                .execute(Tuple.of(segmentId, customerIds))
                .map(rows -> {
                    List<String> lines = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        lines.add(row.getString("line"));
                    }
                    return lines;
                });
    }

    public Uni<List<Evaluation>> history(UUID segmentId, int limit) {
        return pool.preparedQuery("""
                SELECT definition_version, evaluated_at, size, entered, exited, duration_ms, trigger FROM segment.evaluations
                WHERE segment_id = $1 ORDER BY evaluated_at DESC, id DESC LIMIT $2""")
                .execute(Tuple.of(segmentId, limit))
                .map(rows -> {
                    List<Evaluation> evaluations = new ArrayList<>();
                    for (Row row : rows) {
                        evaluations.add(new Evaluation(row.getInteger("definition_version"), instant(row, "evaluated_at"), row.getLong("size"),
                                row.getLong("entered"), row.getLong("exited"), row.getLong("duration_ms"), row.getString("trigger")));
                    }
                    return evaluations;
                });
    }

    /** The segments a customer is in, by name. */
    public Uni<List<Membership>> segmentsOf(UUID customerId) {
        return pool.preparedQuery("""
                SELECT s.id, s.name, m.entered_at FROM segment.memberships m JOIN segment.segments s ON s.id = m.segment_id
                WHERE m.customer_id = $1 ORDER BY lower(s.name)""")
                .execute(Tuple.of(customerId))
                .map(rows -> {
                    List<Membership> segments = new ArrayList<>();
                    for (Row row : rows) {
                        segments.add(new Membership(row.getUUID("id"), row.getString("name"), customerId, instant(row, "entered_at")));
                    }
                    return segments;
                });
    }

    private List<Segment> segments(RowSet<Row> rows) {
        List<Segment> segments = new ArrayList<>();
        rows.forEach(row -> segments.add(segment(row)));
        return segments;
    }

    private Segment segment(Row row) {
        try {
            return new Segment(row.getUUID("id"), row.getString("name"), row.getString("description"), json.readTree(row.getString("definition")),
                    row.getInteger("version"), instant(row, "created_at"), instant(row, "updated_at"), row.getLong("size"),
                    instant(row, "last_evaluated_at"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
