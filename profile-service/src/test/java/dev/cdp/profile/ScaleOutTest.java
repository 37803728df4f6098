package dev.cdp.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.events.Topics;
import dev.cdp.profile.service.EventReader;
import dev.cdp.profile.service.EventReader.Read;
import dev.cdp.profile.service.EventStore;
import dev.cdp.testing.KafkaTestClient;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Scale-out that a user can trust: the same messages give the same profiles whether one writer stores them in order,
 * or several writers store them at once from different partitions, out of order, where one person's identifiers
 * (devices, user id, email, loyalty card) are keyed to different partitions, so their profiles are stitched and
 * merged across writers.
 */
@QuarkusTest
@TestProfile(ScaleOutTest.ThreeWriters.class)
class ScaleOutTest {

    public static class ThreeWriters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // small batches: many of them, in flight at once on every partition
            return Map.of("cdp.profile.writers", "3", "cdp.profile.consumer.max.poll.records", "20");
        }
    }

    private static final int PEOPLE = 30;
    private static final List<String> EVENTS = List.of("product_view", "add_to_cart", "coupon_redeemed");

    @Inject
    EventStore store;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final int phoneBase = 1_000_000 + new Random().nextInt(8_000_000);
    /** Every identifier value of both copies, to the person and kind it stands for: how the copies are compared. */
    private final Map<String, String> labels = new HashMap<>();

    @Test
    void severalWritersStoreWhatOneWriterStores() throws Exception {
        Messages parallel = new Messages();
        Messages single = new Messages();
        List<ObjectNode> parallelInput = input("p", 532);
        List<ObjectNode> singleInput = input("s", 533);

        for (ObjectNode message : parallelInput) {
            KafkaTestClient.send(Topics.EVENTS_RAW, key(message), parallel.raw(message));
        }
        // One writer, in order, batch after batch: as a single replica consuming one partition would.
        for (int from = 0; from < singleInput.size(); from += 20) {
            List<Read> batch = new ArrayList<>();
            for (ObjectNode message : singleInput.subList(from, Math.min(from + 20, singleInput.size()))) {
                String raw = single.raw(message);
                batch.add(EventReader.read(Messages.JSON.readValue(raw, RawEvent.class), raw.getBytes(StandardCharsets.UTF_8), "TR"));
            }
            store.store(batch, true).await().atMost(Duration.ofSeconds(30));
        }
        long distinct = parallelInput.stream().map(message -> message.get("messageId").asText()).distinct().count();
        await().atMost(Duration.ofSeconds(90)).until(() -> parallel.stored() == distinct);

        assertThat(mergedCustomers(parallelInput)).as("profiles merged across writers").isPositive();
        List<String> expected = profiles(singleInput);
        assertThat(expected).as("one customer per person").hasSize(PEOPLE);
        assertThat(profiles(parallelInput)).as("profiles stored by three writers at once").isEqualTo(expected);
    }

    /**
     * Each person's story, shuffled: anonymous activity on a first device, an identify naming that device, an email,
     * phone and loyalty card (merging the device's customer in), an older identify with other values, activity as a
     * known user, receipts naming the user, only the loyalty card or only the email, and for every other person a
     * second device later aliased to the user. A tenth of the messages is delivered twice.
     */
    private List<ObjectNode> input(String copy, int operator) {
        Random random = new Random(18);
        Messages messages = new Messages();
        List<ObjectNode> input = new ArrayList<>();
        Instant start = Instant.parse("2026-09-01T00:00:00Z");
        IntFunction<String> at = ignored -> start.plusSeconds(random.nextInt(7_000_000)).toString();
        for (int k = 0; k < PEOPLE; k++) {
            String user = label(copy + "-u" + k + "-" + run, "user" + k);
            String device = label(copy + "-a" + k + "-" + run, "device" + k);
            String otherDevice = label(copy + "-b" + k + "-" + run, "otherDevice" + k);
            String email = label(copy + "." + k + "." + run + "@example.com", "email" + k);
            String phone = "+90" + operator + (phoneBase + k);
            label(phone, "phone" + k);
            String card = label(copy + "-L" + k + "-" + run, "card" + k);
            for (int i = 0; i < 3 + random.nextInt(4); i++) {
                input.add(messages.track(null, device, EVENTS.get(random.nextInt(3)), at.apply(0)));
            }
            input.add(identify(messages, user, device, email, phone, card, "İzmir", random.nextBoolean(), "2026-12-01T00:00:00Z"));
            input.add(identify(messages, user, device, email, phone, card, "Ankara", true, "2026-08-01T00:00:00Z"));
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                input.add(messages.track(user, device, EVENTS.get(random.nextInt(3)), at.apply(0)));
            }
            for (int i = 0; i < 2 + random.nextInt(3); i++) {
                input.add(receipt(messages.transaction(user, List.of("PURCHASE", "FUEL", "MARKET").get(random.nextInt(3)),
                        random.nextInt(10_000) + "." + random.nextInt(100), at.apply(0)), copy, k, i));
            }
            ObjectNode byCard = receipt(messages.transaction(null, "FUEL", "42.50", at.apply(0)), copy, k, 9);
            byCard.put("loyaltyCard", card);
            input.add(byCard);
            ObjectNode byEmail = receipt(messages.transaction(null, "MARKET", "17.25", at.apply(0)), copy, k, 8);
            byEmail.put("email", email.toUpperCase(java.util.Locale.ROOT));
            input.add(byEmail);
            if (k % 2 == 0) {
                input.add(messages.message("page", null, otherDevice, at.apply(0)));
                ObjectNode alias = messages.message("alias", user, null, at.apply(0));
                alias.put("previousId", otherDevice);
                input.add(alias);
            }
        }
        Collections.shuffle(input, random);
        List<ObjectNode> delivered = new ArrayList<>();
        for (ObjectNode message : input) {
            delivered.add(message);
            if (random.nextInt(10) == 0) {
                delivered.add(message);
            }
        }
        // The same message ids in both copies (sources differ), so the two inputs are one input twice.
        for (int i = 0; i < delivered.size(); i++) {
            delivered.get(i).put("messageId", UUID.nameUUIDFromBytes((run + i).getBytes(StandardCharsets.UTF_8)).toString());
        }
        return delivered;
    }

    private static ObjectNode identify(Messages messages, String user, String device, String email, String phone, String card,
            String city, boolean advertising, String timestamp) {
        ObjectNode identify = messages.message("identify", user, device, timestamp);
        identify.putObject("traits").put("firstName", "Zeynep").put("lastName", "Kaya").put("email", email).put("phone", phone)
                .put("loyaltyCard", card).put("city", city).put("birthday", "1990-04-0" + (1 + (int) (timestamp.charAt(6) % 9)));
        return Messages.consent(identify, advertising, true, false);
    }

    /** Receipts keep their transaction ids across the copies, which compare them. */
    private ObjectNode receipt(ObjectNode transaction, String copy, int person, int number) {
        return transaction.put("transactionId", "T-" + run + "-" + person + "-" + number);
    }

    private String label(String value, String label) {
        labels.put(value, label);
        return value;
    }

    /** The key the intake gives a message: its customer's most telling identifier. */
    private static String key(ObjectNode message) {
        for (String field : List.of("userId", "anonymousId", "email", "loyaltyCard")) {
            if (message.hasNonNull(field)) {
                return message.get(field).asText();
            }
        }
        throw new IllegalArgumentException("no identifier");
    }

    /**
     * Every live customer the copy's identifiers lead to, as one line each with its identifiers and identifying values
     * replaced by what they stand for: the profile, facts, event counts, interactions and transactions. Sorted.
     */
    private List<String> profiles(List<ObjectNode> input) throws Exception {
        List<String> values = identifierValues(input);
        List<String> profiles = new ArrayList<>();
        try (Connection db = TestDatabase.admin()) {
            Array identifiers = db.createArrayOf("text", values.toArray());
            for (String customer : strings(db, """
                    SELECT DISTINCT coalesce(c.merged_into, c.customer_id)::text FROM profile.identities i
                    JOIN profile.customers c ON c.customer_id = i.customer_id WHERE i.id_value = ANY(?)""", identifiers)) {
                StringBuilder line = new StringBuilder();
                line.append(new TreeSet<>(strings(db, "SELECT id_type || '=' || id_value FROM profile.identities WHERE customer_id = ?::uuid",
                        customer).stream().map(this::relabel).toList()));
                line.append(relabel(String.join("|", strings(db, """
                        SELECT concat_ws('|', first_name, last_name, email_normalized, phone_e164, birth_date, city, city_normalized,
                                         country_code, loyalty_card, consent_email, consent_sms, consent_advertising, merged_into IS NULL)
                        FROM profile.customers WHERE customer_id = ?::uuid""", customer))));
                line.append(strings(db, """
                        SELECT concat_ws('|', transaction_count, transaction_total, purchase_count, purchase_total, fuel_count, fuel_total,
                                         market_count, market_total, first_transaction_at, last_transaction_at, interaction_count,
                                         last_interaction_at)
                        FROM profile.customer_facts WHERE customer_id = ?::uuid""", customer));
                line.append(strings(db, """
                        SELECT concat_ws('|', event_name, count, first_at, last_at) FROM profile.customer_event_counts
                        WHERE customer_id = ?::uuid ORDER BY event_name""", customer));
                line.append(strings(db, """
                        SELECT concat_ws('|', type, event_name, occurred_at) FROM profile.interactions WHERE customer_id = ?::uuid
                        ORDER BY 1""", customer));
                line.append(strings(db, """
                        SELECT concat_ws('|', transaction_id, type, amount, currency, occurred_at) FROM profile.transactions
                        WHERE customer_id = ?::uuid ORDER BY 1""", customer));
                profiles.add(line.toString());
            }
        }
        Collections.sort(profiles);
        return profiles;
    }

    private long mergedCustomers(List<ObjectNode> input) throws Exception {
        try (Connection db = TestDatabase.admin()) {
            return strings(db, "SELECT customer_id FROM profile.customers WHERE merged_into IS NOT NULL AND merged_into = ANY(?)",
                    db.createArrayOf("uuid", strings(db, "SELECT DISTINCT customer_id::text FROM profile.identities WHERE id_value = ANY(?)",
                            db.createArrayOf("text", identifierValues(input).toArray())).stream().map(UUID::fromString).toArray())).size();
        }
    }

    private List<String> identifierValues(List<ObjectNode> input) {
        return labels.keySet().stream().filter(value -> input.stream().anyMatch(message -> message.toString().contains(value))).toList();
    }

    private String relabel(String text) {
        String result = text;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            result = result.replace(label.getKey(), label.getValue());
        }
        return result;
    }

    private static List<String> strings(Connection db, String query, Object parameter) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(query)) {
            statement.setObject(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
