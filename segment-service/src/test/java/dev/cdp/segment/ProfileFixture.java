package dev.cdp.segment;

import dev.cdp.events.TextKeys;
import dev.cdp.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A fresh profile schema (profile-service's own migrations, run as its role) holding five hand-made customers, their
 * transactions and interactions at known distances from {@link #NOW}, and facts and event counts derived from them
 * the way profile-service keeps them. Expected segment members below are worked out by hand from this data.
 */
public final class ProfileFixture {

    /** The evaluation time the data is laid out around, to the second. */
    public static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** İstanbul, 30, premium, female, advertising consent; 3 FUEL in the last 30 days, a MARKET of 4,000 60 days ago; app_open twice this week. */
    public static final UUID AYSE = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    /** ISTANBUL as typed, 50, standard, male; 5 FUEL 40 days ago (250 in all); app_open once, 3 days ago. */
    public static final UUID MEHMET = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    /** Ankara, exactly 25, premium; 3 FUEL of 100: one exactly 30 days ago, the others 1 and 2 days ago; no interactions. */
    public static final UUID ZEYNEP = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    /** Nothing known: no city, no age, no consent, no transactions; product_view (category fuel) 100 days ago. */
    public static final UUID ANON = UUID.fromString("00000000-0000-0000-0000-00000000000d");
    /** İzmir, 45, standard; one PURCHASE of 6,000 five days ago at store ST-9, one FUEL of 50 exactly at NOW. */
    public static final UUID EMRE = UUID.fromString("00000000-0000-0000-0000-00000000000e");
    /** Merged into AYSE: never a member of anything, whatever it holds. */
    public static final UUID MERGED = UUID.fromString("00000000-0000-0000-0000-00000000000f");

    private static long rawEventId;

    private ProfileFixture() {
    }

    /** Recreates the profile schema with the fixture's data. */
    public static void load() throws Exception {
        Flyway profileMigrations = Flyway.configure()
                .dataSource("jdbc:" + TestDatabase.url(), "cdp_profile", System.getenv().getOrDefault("CDP_DB_PASSWORD", "cdp"))
                .schemas("profile").locations("filesystem:" + Path.of("../profile-service/src/main/resources/db/migration").toAbsolutePath())
                .cleanDisabled(false).load();
        profileMigrations.clean();
        profileMigrations.migrate();
        try (Connection db = TestDatabase.admin()) {
            customer(db, AYSE, "İstanbul", "istanbul", NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(30).minusDays(10), "premium", "female", true);
            customer(db, MEHMET, "ISTANBUL", "istanbul", NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(50), "standard", "male", true);
            customer(db, ZEYNEP, "Ankara", "ankara", NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(25), "premium", "female", true);
            customer(db, ANON, null, null, null, null, null, null);
            customer(db, EMRE, "İzmir", "izmir", NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(45).minusDays(1), "standard", "male", false);
            customer(db, MERGED, "İstanbul", "istanbul", NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(30), "premium", "female", true);
            try (Statement statement = db.createStatement()) {
                statement.execute("UPDATE profile.customers SET merged_into = '" + AYSE + "' WHERE customer_id = '" + MERGED + "'");
                // Turkish capitals as given, and a gender stored the way profile-service stores it.
                statement.execute("UPDATE profile.customers SET state = 'ŞİŞLİ' WHERE customer_id = '" + ZEYNEP + "'");
                statement.execute("UPDATE profile.customers SET gender = '" + TextKeys.gender("Non-binary") + "' WHERE customer_id = '" + ANON + "'");
            }
            transaction(db, AYSE, "FUEL", "500", "ST-1", days(10));
            transaction(db, AYSE, "FUEL", "700", "ST-1", days(20));
            transaction(db, AYSE, "FUEL", "100", "ST-2", days(29));
            transaction(db, AYSE, "MARKET", "4000", "ST-1", days(60));
            for (int i = 0; i < 5; i++) {
                transaction(db, MEHMET, "FUEL", "50", "ST-1", days(40));
            }
            transaction(db, ZEYNEP, "FUEL", "100", "ST-3", days(30));
            transaction(db, ZEYNEP, "FUEL", "100", "ST-3", days(1));
            transaction(db, ZEYNEP, "FUEL", "100", "ST-3", days(2));
            transaction(db, EMRE, "PURCHASE", "6000", "ST-9", days(5));
            transaction(db, EMRE, "FUEL", "50", "ST-1", NOW);
            for (int i = 0; i < 9; i++) {
                transaction(db, MERGED, "FUEL", "1000", "ST-1", days(3));
            }
            interaction(db, AYSE, "app_open", "{\"os\":\"android\"}", days(1));
            interaction(db, AYSE, "app_open", "{\"os\":\"ios\"}", days(6));
            interaction(db, MEHMET, "app_open", "{\"os\":\"ios\"}", days(3));
            interaction(db, ANON, "product_view", "{\"category\":\"fuel\",\"sku\":\"SKU-1\"}", days(100));
            interaction(db, MERGED, "app_open", "{}", days(1));
            // What the tracking libraries keep: page names, campaigns, and prices as numbers (or, wrongly, as text).
            page(db, ZEYNEP, "Kampanya", "{\"campaign\":{\"source\":\"Instagram\",\"name\":\"kis\"},\"page\":{\"path\":\"/kampanya\"}}", days(2));
            page(db, EMRE, "Fiyatlar", "{\"campaign\":{\"source\":\"google\"}}", days(3));
            interaction(db, EMRE, "product_view", "{\"price\":1500,\"sku\":\"TYRE-1\"}", days(4));
            interaction(db, MEHMET, "product_view", "{\"price\":\"2000\",\"sku\":\"OIL-5W30\"}", days(4));
            page(db, MERGED, "Kampanya", "{\"campaign\":{\"source\":\"instagram\"}}", days(1));
            derive(db);
        }
    }

    private static Instant days(int ago) {
        return NOW.minus(ago, ChronoUnit.DAYS);
    }

    private static void customer(Connection db, UUID id, String city, String cityKey, LocalDate birthDate, String segment, String gender,
            Boolean advertising) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO profile.customers (customer_id, city, city_normalized, birth_date, segment, gender, country_code,
                    consent_advertising, consent_email, email_normalized, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, id);
            insert.setString(2, city);
            insert.setString(3, cityKey);
            insert.setObject(4, birthDate);
            insert.setString(5, segment);
            insert.setString(6, gender);
            insert.setString(7, city == null ? null : "TR");
            insert.setObject(8, advertising);
            insert.setObject(9, advertising);
            insert.setString(10, advertising == null ? null : id.toString().substring(30) + "@example.com");
            insert.setTimestamp(11, Timestamp.from(days(365)));
            insert.executeUpdate();
        }
    }

    public static void transaction(Connection db, UUID customer, String type, String amount, String store, Instant at) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO profile.transactions (customer_id, raw_event_id, transaction_id, type, amount, currency, store_id, source, occurred_at)
                VALUES (?, ?, ?, ?, ?::numeric, 'TRY', ?, 'fixture', ?)""")) {
            insert.setObject(1, customer);
            insert.setLong(2, ++rawEventId);
            insert.setString(3, "T-" + rawEventId);
            insert.setString(4, type);
            insert.setString(5, amount);
            insert.setString(6, store);
            insert.setTimestamp(7, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private static void page(Connection db, UUID customer, String name, String context, Instant at) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO profile.interactions (customer_id, raw_event_id, type, event_name, name, context, source, occurred_at)
                VALUES (?, ?, 'page', 'page_view', ?, ?::jsonb, 'fixture', ?)""")) {
            insert.setObject(1, customer);
            insert.setLong(2, ++rawEventId);
            insert.setString(3, name);
            insert.setString(4, context);
            insert.setTimestamp(5, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    public static void interaction(Connection db, UUID customer, String event, String properties, Instant at) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO profile.interactions (customer_id, raw_event_id, event_name, properties, source, occurred_at)
                VALUES (?, ?, ?, ?::jsonb, 'fixture', ?)""")) {
            insert.setObject(1, customer);
            insert.setLong(2, ++rawEventId);
            insert.setString(3, event);
            insert.setString(4, properties);
            insert.setTimestamp(5, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    /** Facts and event counts from silver, as profile-service keeps them. */
    private static void derive(Connection db) throws Exception {
        try (Statement statement = db.createStatement()) {
            statement.execute("""
                    INSERT INTO profile.customer_facts
                    SELECT c.customer_id, coalesce(t.n, 0), coalesce(t.total, 0), coalesce(t.pn, 0), coalesce(t.pt, 0), coalesce(t.fn, 0),
                           coalesce(t.ft, 0), coalesce(t.mn, 0), coalesce(t.mt, 0), t.first_at, t.last_at, coalesce(i.n, 0), i.last_at
                    FROM profile.customers c
                    LEFT JOIN LATERAL (SELECT count(*) n, sum(amount) total,
                        count(*) FILTER (WHERE type = 'PURCHASE') pn, sum(amount) FILTER (WHERE type = 'PURCHASE') pt,
                        count(*) FILTER (WHERE type = 'FUEL') fn, sum(amount) FILTER (WHERE type = 'FUEL') ft,
                        count(*) FILTER (WHERE type = 'MARKET') mn, sum(amount) FILTER (WHERE type = 'MARKET') mt,
                        min(occurred_at) first_at, max(occurred_at) last_at
                        FROM profile.transactions WHERE customer_id = c.customer_id) t ON true
                    LEFT JOIN LATERAL (SELECT count(*) n, max(occurred_at) last_at FROM profile.interactions WHERE customer_id = c.customer_id) i ON true""");
            statement.execute("""
                    INSERT INTO profile.customer_event_counts (customer_id, event_name, count, first_at, last_at)
                    SELECT customer_id, event_name, count(*), min(occurred_at), max(occurred_at) FROM profile.interactions GROUP BY 1, 2""");
        }
    }
}
