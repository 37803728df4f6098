package dev.cdp.segment.definition;

import static dev.cdp.segment.ProfileFixture.AYSE;
import static dev.cdp.segment.ProfileFixture.EMRE;
import static dev.cdp.segment.ProfileFixture.MEHMET;
import static dev.cdp.segment.ProfileFixture.NOW;
import static dev.cdp.segment.ProfileFixture.ZEYNEP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.IsoTimes;
import dev.cdp.segment.ProfileFixture;
import dev.cdp.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A full evaluation and a customer's re-evaluation put the same predicates in statements of different shapes, which
 * PostgreSQL plans differently (a window joined as one range of silver by name and time, or probed per customer).
 * Both must name the same members, or a customer would flip in and out of a segment as it is evaluated one way or
 * the other. Activity is laid out around the evaluation time at random minutes, on hour boundaries, at the very start
 * and end of windows and in the future; windows start and end on and off the hour.
 */
class WindowPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<UUID> CUSTOMERS = List.of(AYSE, MEHMET, ZEYNEP, ProfileFixture.ANON, EMRE);
    /** The evaluation time, on the hour or not (so windows ending "now" end on it or inside an hour). */
    private static final Instant ON_THE_HOUR = NOW.truncatedTo(ChronoUnit.HOURS);

    @BeforeContainer
    static void activity() throws Exception {
        ProfileFixture.load();
        Random random = new Random(21);
        try (Connection db = TestDatabase.admin()) {
            for (int i = 0; i < 400; i++) {
                UUID customer = CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
                Instant at = moment(random);
                if (random.nextBoolean()) {
                    String type = List.of("FUEL", "MARKET", "PURCHASE").get(random.nextInt(3));
                    ProfileFixture.transaction(db, customer, type, String.valueOf(1 + random.nextInt(2000)), "ST-1", at);
                } else {
                    ProfileFixture.interaction(db, customer, random.nextBoolean() ? "app_open" : "add_to_cart", "{}", at);
                }
            }
        }
    }

    /** Up to 3 days back and 2 hours ahead of now: at random seconds, or exactly on an hour, or exactly a day before now. */
    private static Instant moment(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> ON_THE_HOUR.minus(random.nextInt(72), ChronoUnit.HOURS);
            case 1 -> NOW.minus(random.nextInt(3), ChronoUnit.DAYS);
            default -> NOW.plus(2, ChronoUnit.HOURS).minusSeconds(random.nextInt(3 * 86_400 + 7_200));
        };
    }

    @Property(tries = 300)
    void aFullEvaluationAndAPerCustomerOneNameTheSameMembers(@ForAll("conditions") String definition) throws Exception {
        Condition condition = DefinitionParser.parse(JSON.readTree(definition), "/definition");
        Set<UUID> full = SegmentSqlTest.rows(SqlCompiler.members(condition, NOW)).stream().map(row -> row.get(0)).collect(Collectors.toSet());
        UUID segment = UUID.randomUUID();
        Set<UUID> perCustomer = SegmentSqlTest.rows(SqlCompiler.membersAmong(Map.of(segment, condition), NOW, CUSTOMERS)).stream()
                .map(row -> row.get(1)).collect(Collectors.toSet());
        assertThat(full).as(definition).isEqualTo(perCustomer);
    }

    @Provide
    Arbitrary<String> conditions() {
        Arbitrary<String> windows = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 80).map(hours -> "\"PT" + hours + "H\""),
                Arbitraries.integers().between(1, 3).map(days -> "\"P" + days + "D\""),
                Arbitraries.integers().between(1, 200_000).map(seconds -> "\"PT" + seconds + "S\""),
                Combinators.combine(instants(), instants()).as((a, b) -> a.isBefore(b)
                        ? "{\"from\": \"" + IsoTimes.format(a) + "\", \"to\": \"" + IsoTimes.format(b) + "\"}"
                        : "{\"from\": \"" + IsoTimes.format(b) + "\"}"),
                Arbitraries.just(null));
        Arbitrary<String> transactions = Combinators.combine(Arbitraries.of("count", "sum", "avg", "max"), comparisons(),
                Arbitraries.of("null", "{\"transactionType\": \"FUEL\"}", "{\"transactionType\": [\"MARKET\", \"PURCHASE\"]}"), windows)
                .as((metric, comparison, filter, window) -> SegmentSqlTest.transaction(metric,
                        comparison[0].equals("never") ? "lt" : comparison[0], value(comparison, metric.equals("count") ? 1 : 700),
                        filter.equals("null") ? null : filter, window));
        Arbitrary<String> events = Combinators.combine(Arbitraries.of("app_open", "add_to_cart"), comparisons(), windows)
                .as((name, comparison, window) -> comparison[0].equals("never") ? SegmentSqlTest.event(name, "never", null, null, window)
                        : SegmentSqlTest.event(name, comparison[0], value(comparison, 1), null, window));
        return Arbitraries.oneOf(transactions, events);
    }

    /** An operator and its value (for between, two), from 0 to 4; never only for events. */
    private static Arbitrary<String[]> comparisons() {
        return Combinators.combine(Arbitraries.of("eq", "neq", "gt", "gte", "lt", "lte", "between", "never"), Arbitraries.integers().between(0, 4))
                .as((operator, value) -> new String[] {operator, String.valueOf(value)});
    }

    /** The comparison's value in units of {@code unit} (an amount), two of them for between. */
    private static String value(String[] comparison, int unit) {
        int value = Integer.parseInt(comparison[1]) * unit;
        return comparison[0].equals("between") ? "[" + value + ", " + (value + 2 * unit) + "]" : String.valueOf(value);
    }

    /** Around the activity: on the hour, or at any second. */
    private static Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-80, 3).map(hours -> ON_THE_HOUR.plus(hours, ChronoUnit.HOURS)),
                Arbitraries.integers().between(-300_000, 10_000).map(NOW::plusSeconds));
    }
}
