package dev.cdp.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A random mix of identifies (with changing traits and consents), anonymous and known activity, transactions and
 * redeliveries over a dozen customers, after which the stored facts must equal a recomputation from the stored
 * activity, the traits segments read must equal the live customers' profiles, and every user must be one customer.
 */
final class RandomMix {

    private RandomMix() {
    }

    static void sendAndCheckFacts(Messages messages) throws Exception {
        Random random = new Random(7);
        List<String> users = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add("u-" + UUID.randomUUID());
            devices.add("a-" + UUID.randomUUID());
        }
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        int sent = 0;
        for (int i = 0; i < 400; i++) {
            int who = random.nextInt(users.size());
            String time = start.plusSeconds(random.nextInt(5_000_000)).toString();
            ObjectNode message = switch (random.nextInt(6)) {
                case 0 -> messages.transaction(users.get(who), List.of("PURCHASE", "FUEL", "MARKET").get(random.nextInt(3)),
                        random.nextInt(100_000) / 100 + "." + random.nextInt(10), time);
                case 1 -> identify(messages, random, users.get(who), devices.get(who), time);
                case 2 -> messages.message("page", null, devices.get(who), time);
                default -> messages.track(random.nextBoolean() ? users.get(who) : null, devices.get(who),
                        List.of("product_view", "add_to_cart", "coupon_redeemed").get(random.nextInt(3)), time);
            };
            messages.send(message);
            sent++;
            if (random.nextInt(10) == 0) {
                messages.send(message); // a redelivery
            }
        }
        int expected = sent;
        await().atMost(Duration.ofSeconds(60)).until(() -> messages.stored() == expected);

        try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
            String ours = "(SELECT DISTINCT coalesce(c.merged_into, c.customer_id) FROM profile.raw_events r "
                    + "JOIN profile.identities i ON i.id_value IN (r.user_id, r.anonymous_id) "
                    + "JOIN profile.customers c ON c.customer_id = i.customer_id WHERE r.source = '" + messages.source + "')";
            String recomputed = """
                    SELECT c.id, coalesce(t.n, 0), coalesce(t.total, 0), coalesce(t.fn, 0), coalesce(t.ft, 0), t.first_at, t.last_at,
                           coalesce(i.n, 0), i.last_at
                    FROM %s AS c(id)
                    LEFT JOIN LATERAL (SELECT count(*) n, sum(amount) total, count(*) FILTER (WHERE type = 'FUEL') fn,
                                              sum(amount) FILTER (WHERE type = 'FUEL') ft, min(occurred_at) first_at, max(occurred_at) last_at
                                       FROM profile.transactions WHERE customer_id = c.id) t ON true
                    LEFT JOIN LATERAL (SELECT count(*) n, max(occurred_at) last_at FROM profile.interactions WHERE customer_id = c.id) i ON true
                    """.formatted(ours);
            String stored = """
                    SELECT f.customer_id, f.transaction_count, f.transaction_total, f.fuel_count, f.fuel_total, f.first_transaction_at,
                           f.last_transaction_at, f.interaction_count, f.last_interaction_at
                    FROM profile.customer_facts f WHERE f.customer_id IN %s""".formatted(ours);
            assertThat(count(statement, "(" + recomputed + ") EXCEPT (" + stored + ")")).as("recomputed but not stored").isZero();
            assertThat(count(statement, "(" + stored + ") EXCEPT (" + recomputed + ")")).as("stored but not recomputed").isZero();
            String countsRecomputed = "SELECT customer_id, event_name, count(*), min(occurred_at), max(occurred_at) FROM profile.interactions "
                    + "WHERE customer_id IN " + ours + " GROUP BY 1, 2";
            String countsStored = "SELECT customer_id, event_name, count, first_at, last_at FROM profile.customer_event_counts "
                    + "WHERE customer_id IN " + ours;
            assertThat(count(statement, "(" + countsRecomputed + ") EXCEPT (" + countsStored + ")")).isZero();
            assertThat(count(statement, "(" + countsStored + ") EXCEPT (" + countsRecomputed + ")")).isZero();
            // The user ids on each customer's row, what exports read, are the customer's userId identities.
            String userIdsOfIdentities = "SELECT customer_id, array_agg(id_value ORDER BY id_value) FROM profile.identities "
                    + "WHERE id_type = 'userId' AND customer_id IN " + ours + " GROUP BY customer_id";
            String userIdsStored = "SELECT customer_id, user_ids FROM profile.customers WHERE user_ids IS NOT NULL AND customer_id IN " + ours;
            assertThat(count(statement, "(" + userIdsOfIdentities + ") EXCEPT (" + userIdsStored + ")")).as("user ids missing").isZero();
            assertThat(count(statement, "(" + userIdsStored + ") EXCEPT (" + userIdsOfIdentities + ")")).as("user ids not held").isZero();
            // What segments read shows what the full read model shows: the live customers, each as its profile and
            // facts say now; none of a customer merged away.
            String ever = "(SELECT customer_id FROM profile.customers WHERE coalesce(merged_into, customer_id) IN " + ours + ")";
            String facts = "transaction_count, transaction_total, purchase_count, purchase_total, fuel_count, fuel_total, market_count, "
                    + "market_total, first_transaction_at, last_transaction_at, interaction_count, last_interaction_at";
            String traits = "customer_id, birth_date, age, gender, city_normalized, state, postal_code, country_code, segment, consent_email, "
                    + "consent_sms, consent_advertising, created_at, last_seen_at, " + facts;
            String ofCustomers = "SELECT " + traits + ", email IS NOT NULL, phone IS NOT NULL, loyalty_card IS NOT NULL "
                    + "FROM profile.read_customers_v1 WHERE customer_id IN " + ever;
            String ofTraits = "SELECT " + traits + ", has_email, has_phone, has_loyalty_card "
                    + "FROM profile.read_customer_traits_v1 WHERE customer_id IN " + ever;
            assertThat(count(statement, "(" + ofCustomers + ") EXCEPT (" + ofTraits + ")")).as("traits missing or stale").isZero();
            assertThat(count(statement, "(" + ofTraits + ") EXCEPT (" + ofCustomers + ")")).as("traits of no live profile").isZero();
            assertThat(count(statement, ofTraits)).as("one traits row per live customer").isEqualTo(users.size());
            assertThat(count(statement, ours.substring(1, ours.length() - 1))).as("one live customer per user").isEqualTo(users.size());
            // What foreign keys would guarantee: every silver row of these messages belongs to a live customer.
            for (String table : List.of("profile.interactions", "profile.transactions")) {
                assertThat(count(statement, "SELECT 1 FROM profile.raw_events r JOIN " + table + " x ON x.raw_event_id = r.id "
                        + "LEFT JOIN profile.customers c ON c.customer_id = x.customer_id AND c.merged_into IS NULL "
                        + "WHERE r.source = '" + messages.source + "' AND c.customer_id IS NULL")).as(table + " of absent or merged customers").isZero();
            }
            assertThat(count(statement, "SELECT 1 FROM profile.raw_events r JOIN profile.identities i ON i.id_value IN (r.user_id, r.anonymous_id) "
                    + "LEFT JOIN profile.customers c ON c.customer_id = i.customer_id AND c.merged_into IS NULL "
                    + "WHERE r.source = '" + messages.source + "' AND c.customer_id IS NULL")).as("identities of absent or merged customers").isZero();
        }
    }

    /** An identify with a random city, tier, birthday and consents: later ones change what earlier ones set. */
    private static ObjectNode identify(Messages messages, Random random, String userId, String anonymousId, String time) {
        ObjectNode identify = messages.message("identify", userId, anonymousId, time);
        identify.putObject("traits").put("city", List.of("İstanbul", "Ankara", "İzmir").get(random.nextInt(3)))
                .put("segment", random.nextBoolean() ? "Premium" : "standard").put("email", userId + "@example.com")
                .put("birthday", (1960 + random.nextInt(40)) + "-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10));
        return Messages.consent(identify, random.nextBoolean(), random.nextBoolean(), random.nextBoolean());
    }

    private static long count(Statement statement, String query) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM (" + query + ") AS q")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
