package dev.cdp.profile.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.TextKeys;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.domain.Interaction;
import dev.cdp.profile.domain.LayerCounts;
import dev.cdp.profile.domain.Profile;
import dev.cdp.profile.domain.ConsentChange;
import dev.cdp.profile.domain.Profile.Consent;
import dev.cdp.profile.domain.Profile.Facts;
import dev.cdp.profile.domain.Profile.QualityIssue;
import dev.cdp.profile.domain.Profile.TypeFacts;
import dev.cdp.profile.domain.ProfileSummary;
import dev.cdp.profile.domain.Transaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Reads of profiles, identities and activity for the REST API. */
@ApplicationScoped
public class ProfileRepository {

    /** A position in a list ordered by a time and an id, for keyset paging. */
    public record Position(Instant at, String id) {
    }

    private final Pool pool;
    private final ObjectMapper json;

    public ProfileRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The live customer known by this id, following merges (an absorbed customer's id leads to the one that absorbed it). */
    public Uni<UUID> live(UUID customerId) {
        return pool.preparedQuery("""
                SELECT coalesce(merged_into, customer_id) AS customer_id FROM profile.customers
                WHERE customer_id = $1 AND deleted_at IS NULL""")
                .execute(Tuple.of(customerId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("customer_id") : null);
    }

    /** Row counts per layer, in one snapshot (exact counts: they read every table); no consumer lag. */
    public Uni<LayerCounts> counts() {
        return pool.query("""
                SELECT (SELECT count(*) FROM profile.raw_events) AS raw_events,
                       (SELECT count(*) FROM profile.customers WHERE merged_into IS NULL AND deleted_at IS NULL) AS customers,
                       (SELECT count(*) FROM profile.customers WHERE merged_into IS NOT NULL) AS merged_customers,
                       (SELECT count(*) FROM profile.identities) AS identities,
                       (SELECT count(*) FROM profile.transactions) AS transactions,
                       (SELECT count(*) FROM profile.interactions) AS interactions,
                       (SELECT count(*) FROM profile.customer_facts) AS customers_with_facts,
                       (SELECT count(*) FROM profile.quality_issues) AS quality_issues""").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new LayerCounts(row.getLong("raw_events"), row.getLong("customers"), row.getLong("merged_customers"),
                            row.getLong("identities"), row.getLong("transactions"), row.getLong("interactions"),
                            row.getLong("customers_with_facts"), row.getLong("quality_issues"), null);
                });
    }

    /** The customer an identifier belongs to, or null. */
    public Uni<UUID> ownerOf(Identity identity) {
        return pool.preparedQuery("SELECT customer_id FROM profile.identities WHERE id_type = $1 AND id_value = $2")
                .execute(Tuple.of(identity.type().name(), identity.value()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("customer_id") : null);
    }

    /** The whole profile of a live customer, or null. */
    public Uni<Profile> profile(UUID customerId) {
        Tuple id = Tuple.of(customerId);
        Uni<RowSet<Row>> customer = pool.preparedQuery("""
                SELECT c.*, c.preferences::text AS preferences_json, f.transaction_count, f.transaction_total,
                       f.purchase_count, f.purchase_total, f.fuel_count, f.fuel_total, f.market_count, f.market_total,
                       f.first_transaction_at, f.last_transaction_at, f.interaction_count, f.last_interaction_at
                FROM profile.customers c LEFT JOIN profile.customer_facts f ON f.customer_id = c.customer_id
                WHERE c.customer_id = $1 AND c.merged_into IS NULL AND c.deleted_at IS NULL""").execute(id);
        Uni<RowSet<Row>> identities = pool.preparedQuery(
                "SELECT id_type, id_value FROM profile.identities WHERE customer_id = $1 ORDER BY first_seen_at, id_type, id_value").execute(id);
        Uni<RowSet<Row>> consents = pool.preparedQuery("""
                SELECT DISTINCT ON (channel) channel, granted, occurred_at, source FROM profile.consent_changes
                WHERE customer_id = $1 ORDER BY channel, occurred_at DESC, id DESC""").execute(id);
        Uni<RowSet<Row>> events = pool.preparedQuery(
                "SELECT event_name, count FROM profile.customer_event_counts WHERE customer_id = $1 ORDER BY count DESC, event_name").execute(id);
        Uni<RowSet<Row>> issues = pool.preparedQuery("""
                SELECT field, value, problem, source, occurred_at FROM profile.quality_issues
                WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 100""").execute(id);
        return Uni.combine().all().unis(customer, identities, consents, events, issues).asTuple().map(rows -> {
            if (!rows.getItem1().iterator().hasNext()) {
                return null;
            }
            Row c = rows.getItem1().iterator().next();
            List<Identity> ids = map(rows.getItem2(), row -> new Identity(IdentityType.valueOf(row.getString("id_type")), row.getString("id_value")));
            Map<String, Consent> consentMap = new LinkedHashMap<>();
            rows.getItem3().forEach(row -> consentMap.put(row.getString("channel"),
                    new Consent(row.getBoolean("granted"), instant(row.getOffsetDateTime("occurred_at")), row.getString("source"))));
            Map<String, Long> eventCounts = new LinkedHashMap<>();
            rows.getItem4().forEach(row -> eventCounts.put(row.getString("event_name"), row.getLong("count")));
            List<QualityIssue> qualityIssues = map(rows.getItem5(), row -> new QualityIssue(row.getString("field"),
                    row.getString("value"), row.getString("problem"), row.getString("source"), instant(row.getOffsetDateTime("occurred_at"))));
            LocalDate birthDate = c.getLocalDate("birth_date");
            Map<String, TypeFacts> byType = new LinkedHashMap<>();
            for (String type : List.of("purchase", "fuel", "market")) {
                byType.put(TextKeys.code(type), new TypeFacts(orZero(c.getLong(type + "_count")), orZero(c.getBigDecimal(type + "_total"))));
            }
            Facts facts = new Facts(orZero(c.getLong("transaction_count")), orZero(c.getBigDecimal("transaction_total")), byType,
                    instant(c.getOffsetDateTime("first_transaction_at")), instant(c.getOffsetDateTime("last_transaction_at")),
                    orZero(c.getLong("interaction_count")), instant(c.getOffsetDateTime("last_interaction_at")), eventCounts);
            return new Profile(c.getUUID("customer_id"), c.getString("first_name"), c.getString("last_name"),
                    c.getString("email"), c.getString("email_normalized"), c.getString("phone"), c.getString("phone_e164"),
                    birthDate, birthDate == null ? null : Period.between(birthDate, LocalDate.now(ZoneOffset.UTC)).getYears(),
                    c.getString("gender"), c.getString("city"), c.getString("state"), c.getString("postal_code"),
                    c.getString("country_code"), c.getString("segment"), c.getString("loyalty_card"),
                    c.getString("preferences_json") == null ? null : readTree(c.getString("preferences_json")),
                    consentMap, ids, facts, qualityIssues, instant(c.getOffsetDateTime("created_at")),
                    instant(c.getOffsetDateTime("updated_at")), latest(instant(c.getOffsetDateTime("last_transaction_at")),
                    instant(c.getOffsetDateTime("last_interaction_at"))));
        });
    }

    /** Live customers matching the filters, by last update then id, after {@code after}. */
    public Uni<List<ProfileSummary>> search(String cityKey, String segment, Instant updatedSince, Position after, int limit) {
        return pool.preparedQuery("""
                SELECT customer_id, first_name, last_name, email_normalized, city, country_code, segment, updated_at
                FROM profile.customers
                WHERE merged_into IS NULL AND deleted_at IS NULL
                  AND ($1::text IS NULL OR city_normalized = $1)
                  AND ($2::text IS NULL OR segment = $2)
                  AND ($3::timestamptz IS NULL OR updated_at >= $3)
                  AND ($4::timestamptz IS NULL OR (updated_at, customer_id) > ($4, $5::uuid))
                ORDER BY updated_at, customer_id
                LIMIT $6""")
                .execute(Tuple.of(cityKey, segment, utc(updatedSince), after == null ? null : utc(after.at()),
                        after == null ? null : UUID.fromString(after.id()), limit))
                .map(rows -> map(rows, row -> new ProfileSummary(row.getUUID("customer_id"), row.getString("first_name"),
                        row.getString("last_name"), row.getString("email_normalized"), row.getString("city"),
                        row.getString("country_code"), row.getString("segment"), instant(row.getOffsetDateTime("updated_at")))));
    }

    /** The customer's transactions, newest first, before {@code before}. */
    public Uni<List<Transaction>> transactions(UUID customerId, Position before, int limit) {
        return pool.preparedQuery("""
                SELECT id, transaction_id, type, amount, currency, store_id, items::text AS items, source, occurred_at
                FROM profile.transactions
                WHERE customer_id = $1 AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3::bigint))
                ORDER BY occurred_at DESC, id DESC LIMIT $4""")
                .execute(Tuple.of(customerId, before == null ? null : utc(before.at()),
                        before == null ? null : Long.valueOf(before.id()), limit))
                .map(rows -> map(rows, row -> new Transaction(row.getLong("id"), row.getString("transaction_id"),
                        row.getString("type"), money(row.getBigDecimal("amount")), row.getString("currency"),
                        row.getString("store_id"), readTree(row.getString("items")), row.getString("source"),
                        instant(row.getOffsetDateTime("occurred_at")))));
    }

    /** The customer's consent changes, newest first, before {@code before}. */
    public Uni<List<ConsentChange>> consentChanges(UUID customerId, Position before, int limit) {
        return pool.preparedQuery("""
                SELECT id, channel, granted, source, message_id, occurred_at FROM profile.consent_changes
                WHERE customer_id = $1 AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3::bigint))
                ORDER BY occurred_at DESC, id DESC LIMIT $4""")
                .execute(Tuple.of(customerId, before == null ? null : utc(before.at()),
                        before == null ? null : Long.valueOf(before.id()), limit))
                .map(rows -> map(rows, row -> new ConsentChange(row.getLong("id"), row.getString("channel"), row.getBoolean("granted"),
                        row.getString("source"), row.getString("message_id"), instant(row.getOffsetDateTime("occurred_at")))));
    }

    /** The customer's interactions, newest first, before {@code before}. */
    public Uni<List<Interaction>> interactions(UUID customerId, Position before, int limit) {
        return pool.preparedQuery("""
                SELECT i.id, r.message_id, i.type, i.event_name, i.name, i.category, i.properties::text AS properties,
                       i.context::text AS context, i.channel, i.source, i.occurred_at, r.received_at,
                       (SELECT coalesce(j #>> '{payload,timestamp}', j #>> '{payload,originalTimestamp}') FROM (SELECT r.payload::jsonb AS j) p) AS original_timestamp
                FROM profile.interactions i LEFT JOIN profile.raw_events r ON r.id = i.raw_event_id -- gone once expired
                WHERE i.customer_id = $1 AND ($2::timestamptz IS NULL OR (i.occurred_at, i.id) < ($2, $3::bigint))
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT $4""")
                .execute(Tuple.of(customerId, before == null ? null : utc(before.at()),
                        before == null ? null : Long.valueOf(before.id()), limit))
                .map(rows -> map(rows, row -> new Interaction(row.getLong("id"), row.getString("message_id"),
                        row.getString("type"), row.getString("event_name"), row.getString("name"), row.getString("category"),
                        readTree(row.getString("properties")), readTree(row.getString("context")), row.getString("channel"),
                        row.getString("source"), instant(row.getOffsetDateTime("occurred_at")),
                        row.getString("original_timestamp"), instant(row.getOffsetDateTime("received_at")))));
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(mapper.apply(row)));
        return items;
    }

    /** An amount as people write it: 1250.40, not the column's 1250.4000. */
    private static BigDecimal money(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.setScale(Math.max(2, stripped.scale()));
    }

    /** Last seen: the later of the last transaction and the last interaction. */
    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
