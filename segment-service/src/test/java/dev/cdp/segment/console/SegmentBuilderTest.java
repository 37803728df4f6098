package dev.cdp.segment.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.problem.Violation;
import dev.cdp.segment.definition.DefinitionParser;
import dev.cdp.segment.definition.SqlCompiler;
import dev.cdp.segment.definition.SqlCompiler.Compiled;
import dev.cdp.segment.rest.SegmentExamples;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A definition opened in the visual builder and saved again means what it meant: the same SQL, the same parameters. */
class SegmentBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void everyShippedExampleSurvivesTheBuilder() {
        for (JsonNode example : SegmentExamples.ALL) {
            assertRoundTrip(example.path("definition"));
        }
    }

    @Test
    void everyConstructOfTheLanguageSurvivesTheBuilder() throws Exception {
        List<String> definitions = new ArrayList<>(List.of(
                """
                {"logic": "OR", "conditions": [
                  {"type": "profile", "field": "city", "operator": "in", "value": ["İstanbul", "Ankara"]},
                  {"type": "profile", "field": "age", "operator": "between", "value": [25, 45]},
                  {"type": "profile", "field": "age", "operator": "not_in", "value": [18, 19]},
                  {"type": "profile", "field": "advertisingOptIn", "operator": "eq", "value": true},
                  {"type": "profile", "field": "email", "operator": "exists", "value": false},
                  {"type": "profile", "field": "createdAt", "operator": "gte", "value": "2026-01-01T00:00:00Z"},
                  {"type": "profile", "field": "birthDate", "operator": "between", "value": ["1980-01-01", "1990-12-31"]},
                  {"logic": "NOT", "conditions": [{"type": "profile", "field": "segment", "operator": "starts_with", "value": "prem"}]}]}""",
                """
                {"logic": "AND", "conditions": [
                  {"type": "transaction", "metric": "sum", "operator": "between", "value": [100.5, 2000],
                   "filter": {"transactionType": ["FUEL", "MARKET"], "storeId": ["IST-001", "ANK-7"]},
                   "window": {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}},
                  {"type": "transaction", "metric": "avg", "operator": "gt", "value": 250, "window": "P6M"},
                  {"type": "event", "operator": "never", "window": "PT12H"},
                  {"type": "event", "event": "product_view", "operator": "gte", "value": 2, "window": {"from": "2026-03-01T09:30:00Z"},
                   "properties": {"category": "fuel", "price": 2000},
                   "where": [{"field": "properties.price", "operator": "gt", "value": 1000},
                             {"field": "properties.code", "operator": "eq", "value": "2000"},
                             {"field": "properties.member", "operator": "eq", "value": true},
                             {"field": "context.campaign.source", "operator": "in", "value": ["instagram", "tiktok"]},
                             {"field": "properties.size", "operator": "between", "value": [1, 3]},
                             {"field": "name", "operator": "exists", "value": false}]}]}""",
                """
                {"type": "profile", "field": "country", "operator": "neq", "value": "TR"}"""));
        for (String definition : definitions) {
            assertRoundTrip(JSON.readTree(definition));
        }
    }

    @Test
    void addsAndRemovesNodes() {
        Map<String, List<String>> form = Map.of("n.logic", List.of("AND"), "n.0.type", List.of("event"), "n.0.operator", List.of("gte"),
                "n.0.value", List.of("1"), "action", List.of("add-filter:n.0"));
        JsonNode withFilter = SegmentBuilder.definition(form, ISTANBUL);
        assertThat(withFilter.path("conditions").path(0).path("where")).hasSize(1);

        Map<String, List<String>> removing = new java.util.HashMap<>(form);
        removing.put("n.0.f0.field", List.of("properties.price"));
        removing.put("action", List.of("remove:n.0.f0"));
        assertThat(SegmentBuilder.definition(removing, ISTANBUL).path("conditions").path(0).has("where")).isFalse();
    }

    @Test
    void aConditionWhoseKindChangesStartsAfresh() {
        Map<String, List<String>> form = Map.of("n.logic", List.of("AND"), "n.0.type", List.of("event"), "n.0.shown", List.of("profile"),
                "n.0.field", List.of("city"), "n.0.operator", List.of("eq"), "n.0.value", List.of("Ankara"));
        JsonNode condition = SegmentBuilder.definition(form, ISTANBUL);
        assertThat(condition.toString()).isEqualTo("{\"type\":\"event\",\"operator\":\"gte\",\"value\":1}");
    }

    @Test
    void placesEachProblemOnTheNodeItNames() {
        Map<String, List<String>> problems = SegmentBuilder.problems(List.of(
                new Violation("/definition/conditions/1/conditions/0/value", "must be a number"),
                new Violation("/definition/conditions/2/where/1/field", "must be name, category, ..."),
                new Violation("/definition/conditions", "must be a non-empty array")), "/definition");
        assertThat(problems).containsEntry("n.1.0", List.of("value must be a number"))
                .containsEntry("n.2.f1", List.of("field must be name, category, ..."))
                .containsEntry("n", List.of("conditions must be a non-empty array"));
    }

    /** Definition, to the builder's view, to its form, back to a definition: the compiled SQL is the same. */
    private static void assertRoundTrip(JsonNode definition) {
        BuilderNode view = SegmentBuilder.view(definition, Map.of(), ISTANBUL);
        JsonNode again = SegmentBuilder.definition(SegmentBuilder.form(view), ISTANBUL);
        Compiled original = SqlCompiler.members(DefinitionParser.parse(definition, "/definition"), NOW);
        Compiled rebuilt = SqlCompiler.members(DefinitionParser.parse(again, "/definition"), NOW);
        assertThat(rebuilt.sql()).as("SQL of %s rebuilt as %s", definition, again).isEqualTo(original.sql());
        assertThat(rebuilt.parameters().stream().map(SegmentBuilderTest::text).toList()).as("parameters of %s", definition)
                .isEqualTo(original.parameters().stream().map(SegmentBuilderTest::text).toList());
    }

    private static String text(Object parameter) {
        return parameter instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(parameter);
    }
}
