package dev.cdp.segment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.TextKeys;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.testing.JsonTrees;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Whatever definition a marketer (or a script) sends, the parser either names every problem with a pointer into it (a
 * 400), or gives a condition that compiles to SQL whose every parameter PostgreSQL can hold: never another failure,
 * never a 500 later when the segment is evaluated. The trees are drawn from the definition language's grammar, and
 * three in ten get one of their nodes replaced by something hostile.
 */
class DefinitionPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 1000)
    @StatisticsReport(onFailureOnly = true)
    void everyDefinitionIsRefusedWithItsProblemsNamedOrCompilesToStorableSql(@ForAll("definitions") JsonNode definition) {
        // both ways are walked often enough to mean something
        Statistics.coverage(coverage -> {
            coverage.check("compiled").percentage(share -> share >= 10);
            coverage.check("refused").percentage(share -> share >= 10);
        });
        Condition condition;
        try {
            condition = DefinitionParser.parse(definition, "/definition");
        } catch (ProblemException refused) {
            Statistics.collect("refused");
            assertThat(refused.status().getStatusCode()).isEqualTo(400);
            assertThat(refused.violations()).isNotEmpty().extracting(Violation::field).allSatisfy(field -> assertThat(field).startsWith("/definition"));
            return;
        }
        Statistics.collect("compiled");
        SqlCompiler.Compiled compiled = SqlCompiler.members(condition, Instant.now());
        assertThat(compiled.sql()).isNotBlank();
        for (Object parameter : compiled.parameters()) {
            if (parameter instanceof String text) {
                assertThat(TextKeys.storable(text)).as("parameter %s", text).isTrue();
            }
        }
    }

    /** A definition of the language, in three of ten with one of its values replaced by a hostile one. */
    @Provide
    Arbitrary<JsonNode> definitions() {
        return Combinators.combine(node(3), Arbitraries.integers().between(0, 1000), hostile(), Arbitraries.integers().between(0, 9))
                .as((definition, which, bad, roll) -> {
                    if (roll >= 3) {
                        return definition;
                    }
                    List<String> pointers = JsonTrees.pointers(definition);
                    return pointers.isEmpty() ? definition : JsonTrees.replaced(definition, pointers.get(which % pointers.size()), bad);
                });
    }

    private Arbitrary<JsonNode> node(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(profile(), event(), transaction());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> group = Combinators.combine(Arbitraries.of("AND", "OR", "NOT"), node(depth - 1).list().ofMinSize(1).ofMaxSize(4))
                .as((logic, conditions) -> {
                    ObjectNode node = JSON.createObjectNode().put("logic", logic);
                    node.putArray("conditions").addAll(conditions);
                    return node;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, group));
    }

    private Arbitrary<JsonNode> profile() {
        Arbitrary<JsonNode> city = Combinators.combine(Arbitraries.of("eq", "neq", "contains", "starts_with"), words())
                .as((operator, value) -> condition("city", operator).put("value", value));
        Arbitrary<JsonNode> cities = words().list().ofMinSize(1).ofMaxSize(5).map(values -> {
            ObjectNode node = condition("city", "in");
            values.forEach(node.putArray("value")::add);
            return node;
        });
        Arbitrary<JsonNode> age = Combinators.combine(Arbitraries.of("gte", "lt", "eq"), Arbitraries.integers().between(0, 120))
                .as((operator, value) -> condition("age", operator).put("value", value));
        Arbitrary<JsonNode> ages = Arbitraries.integers().between(0, 60).map(from -> {
            ObjectNode node = condition("age", "between");
            node.putArray("value").add(from).add(from + 20);
            return node;
        });
        Arbitrary<JsonNode> tier = words().map(value -> condition("tier", "eq").put("value", value));
        Arbitrary<JsonNode> consent = Arbitraries.of(true, false).map(value -> condition("advertisingOptIn", "eq").put("value", value));
        Arbitrary<JsonNode> email = Arbitraries.just(condition("email", "exists"));
        Arbitrary<JsonNode> born = Arbitraries.of("1980-01-01", "2000-12-31").map(value -> condition("birthDate", "gte").put("value", value));
        return Arbitraries.oneOf(city, cities, age, ages, tier, consent, email, born);
    }

    private static ObjectNode condition(String field, String operator) {
        return JSON.createObjectNode().put("type", "profile").put("field", field).put("operator", operator);
    }

    private Arbitrary<JsonNode> event() {
        return Combinators.combine(Arbitraries.of("page_view", "app_open", "fuel_price_view"), Arbitraries.integers().between(0, 5),
                Arbitraries.of("P1D", "P7D", "P30D", "PT12H"), words(), Arbitraries.of(true, false))
                .as((event, count, window, sku, filtered) -> {
                    ObjectNode node = JSON.createObjectNode().put("type", "event").put("event", event).put("operator", "gte")
                            .put("value", count).put("window", window);
                    if (filtered) {
                        node.putArray("where").addObject().put("field", "properties.sku").put("operator", "eq").put("value", sku);
                    }
                    return (JsonNode) node;
                });
    }

    private Arbitrary<JsonNode> transaction() {
        return Combinators.combine(Arbitraries.of("count", "sum", "avg", "max"), Arbitraries.of("gte", "lt", "eq"),
                Arbitraries.bigDecimals().between(java.math.BigDecimal.ZERO, java.math.BigDecimal.valueOf(100_000)).ofScale(2),
                Arbitraries.of("P1D", "P30D", "P365D"), Arbitraries.of("FUEL", "MARKET", "PURCHASE"))
                .as((metric, operator, value, window, type) -> {
                    ObjectNode node = JSON.createObjectNode().put("type", "transaction").put("metric", metric).put("operator", operator)
                            .put("value", value).put("window", window);
                    node.putObject("filter").put("transactionType", type);
                    return (JsonNode) node;
                });
    }

    /** Text as marketers type it: letters of Turkish and English, digits, spaces. */
    private Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcçdefgğhıijklmnoöprsştuüvyzİIQWX0123 -".toCharArray()).ofMinLength(1).ofMaxLength(20);
    }

    /** Anything: text PostgreSQL cannot hold, huge numbers, the wrong kind of node, nothing. */
    private Arbitrary<JsonNode> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40).map(text -> (JsonNode) JSON.getNodeFactory().textNode(text)),
                Arbitraries.of("a\u0000b", "\ud800", "x".repeat(5000), "'; DROP TABLE segment.segments; --", "${jndi:ldap://x}")
                        .map(text -> (JsonNode) JSON.getNodeFactory().textNode(text)),
                Arbitraries.of(Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN, -0.0)
                        .map(number -> (JsonNode) JSON.getNodeFactory().numberNode(number)),
                Arbitraries.just(JSON.getNodeFactory().nullNode()),
                Arbitraries.just(JSON.getNodeFactory().booleanNode(true)),
                Arbitraries.just(JSON.createObjectNode()),
                Arbitraries.just(JSON.createArrayNode()));
    }
}
