package dev.cdp.segment.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.segment.definition.Condition.Group;
import dev.cdp.segment.definition.Condition.TransactionCondition;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheContractsExample() throws Exception {
        Condition condition = DefinitionParser.parse(JSON.readTree("""
                {"logic": "AND", "conditions": [
                  {"type": "profile", "field": "city", "operator": "eq", "value": "İstanbul"},
                  {"type": "profile", "field": "age", "operator": "between", "value": [25, 45]},
                  {"type": "transaction", "metric": "count", "operator": "gte", "value": 3, "filter": {"transactionType": "FUEL"}, "window": "P30D"},
                  {"type": "transaction", "metric": "sum", "operator": "gte", "value": 1000},
                  {"type": "event", "event": "app_open", "operator": "gte", "value": 2, "window": "P7D"},
                  {"logic": "OR", "conditions": [{"type": "profile", "field": "segment", "operator": "eq", "value": "premium"}]},
                  {"logic": "NOT", "conditions": [{"type": "event", "event": "purchase", "operator": "never"}]}]}"""), "/definition");
        Group root = (Group) condition;
        assertThat(root.conditions()).hasSize(7);
        TransactionCondition fuel = (TransactionCondition) root.conditions().get(2);
        assertThat(fuel.transactionTypes()).containsExactly("FUEL");
        assertThat(fuel.window().period()).isEqualTo(Period.ofDays(30));
    }

    @Test
    void listsEveryInvalidNodeByItsPointer() throws Exception {
        assertThatThrownBy(() -> DefinitionParser.parse(JSON.readTree("""
                {"logic": "AND", "conditions": [
                  {"type": "profile", "field": "shoeSize", "operator": "eq", "value": 42},
                  {"type": "profile", "field": "city", "operator": "gt", "value": "Ankara"},
                  {"type": "profile", "field": "age", "operator": "eq", "value": "thirty"},
                  {"logic": "OR", "conditions": [
                    {"type": "transaction", "metric": "count", "operator": "gte", "value": 1.5, "window": "30 days"},
                    {"type": "event", "event": "app_open", "operator": "never", "value": 0, "colour": "red"}]},
                  {"logic": "XOR", "conditions": []},
                  {"type": "transaction", "metric": "median", "operator": "gte", "value": 3, "filter": {"transactionType": "CAR_WASH"}}]}"""),
                "/definition"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.violations()).extracting(Violation::field)
                        .containsExactlyInAnyOrder(
                                "/definition/conditions/0/field",
                                "/definition/conditions/1/operator",
                                "/definition/conditions/2/value",
                                "/definition/conditions/3/conditions/0/value",
                                "/definition/conditions/3/conditions/0/window",
                                "/definition/conditions/3/conditions/1/value",
                                "/definition/conditions/3/conditions/1/colour",
                                "/definition/conditions/4/logic",
                                "/definition/conditions/4/conditions",
                                "/definition/conditions/5/metric",
                                "/definition/conditions/5/filter/transactionType"));
    }

    @Test
    void namesEveryInvalidEventFilter() throws Exception {
        assertThatThrownBy(() -> DefinitionParser.parse(JSON.readTree("""
                {"type": "event", "event": "page_view", "operator": "gte", "value": 1, "where": [
                  {"field": "url", "operator": "eq", "value": "x"},
                  {"field": "properties.price", "operator": "gt", "value": "1000"},
                  {"field": "name", "operator": "lt", "value": 3},
                  {"field": "context.campaign.source'; DROP TABLE x; --", "operator": "eq", "value": "x"},
                  {"field": "properties.a.b.c.d.e.f", "operator": "exists"},
                  {"field": "context.campaign.source", "operator": "in", "value": ["a", 1]},
                  {"field": "properties.sku", "operator": "never"}]}"""), "/definition"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.violations()).extracting(Violation::field)
                        .containsExactly(
                                "/definition/where/0/field",
                                "/definition/where/1/value",
                                "/definition/where/2/value",
                                "/definition/where/3/field",
                                "/definition/where/4/field",
                                "/definition/where/5/value",
                                "/definition/where/6/operator"));
    }

    @Test
    void namesANumberTooLargeForADouble() {
        // Jackson reads 1e400 as infinity, which no decimal holds: a violation, never a 500
        assertThatThrownBy(() -> DefinitionParser.parse(JSON.readTree("""
                {"logic": "AND", "conditions": [
                  {"type": "transaction", "metric": "sum", "operator": "gte", "value": 1e400},
                  {"type": "event", "event": "page_view", "operator": "gte", "value": 1,
                   "where": [{"field": "properties.price", "operator": "gt", "value": -1e400}]}]}"""), "/definition"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.violations()).extracting(Violation::field)
                        .containsExactly("/definition/conditions/0/value", "/definition/conditions/1/where/0/value"));
    }

    @Test
    void namesADateOutsideTheYearsEveryStoreHolds() {
        // year 0 and +999999999 parse in Java but a refresh would fail on them: refused when the segment is saved
        assertThatThrownBy(() -> DefinitionParser.parse(JSON.readTree("""
                {"logic": "OR", "conditions": [
                  {"type": "profile", "field": "birthDate", "operator": "gt", "value": "0000-01-01"},
                  {"type": "profile", "field": "birthDate", "operator": "lt", "value": "+999999999-12-31"}]}"""), "/definition"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.violations()).extracting(Violation::field)
                        .containsExactly("/definition/conditions/0/value", "/definition/conditions/1/value"));
    }

    @Test
    void rejectsFieldNamesAndOperatorsOutsideTheWhitelist() {
        for (String field : List.of("city; DROP TABLE profile.customers", "c.city", "CITY", "email_normalized")) {
            assertThatThrownBy(() -> DefinitionParser.parse(JSON.createObjectNode().put("type", "profile").put("field", field)
                    .put("operator", "eq").put("value", "x"), "/definition"))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.violations())
                            .extracting(Violation::field).containsExactly("/definition/field"));
        }
        assertThatThrownBy(() -> DefinitionParser.parse(JSON.createObjectNode().put("type", "profile").put("field", "email")
                .put("operator", "eq").put("value", "a@b.c"), "/definition"))
                .as("contact data only by presence").isInstanceOf(ProblemException.class);
    }

    @Test
    void boundsTheSizeAndDepthOfADefinition() {
        var deep = JSON.createObjectNode();
        var node = deep;
        for (int i = 0; i < DefinitionParser.MAX_DEPTH + 2; i++) {
            node.put("logic", "AND");
            node = node.putArray("conditions").addObject();
        }
        node.put("type", "event").put("event", "x").put("operator", "never");
        assertThatThrownBy(() -> DefinitionParser.parse(deep, "/definition")).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.violations()).anySatisfy(v -> assertThat(v.detail()).contains("nests too deep")));
        var wide = JSON.createObjectNode().put("logic", "OR");
        var conditions = wide.putArray("conditions");
        for (int i = 0; i < DefinitionParser.MAX_CONDITIONS + 1; i++) {
            conditions.addObject().put("type", "event").put("event", "e" + i).put("operator", "never");
        }
        assertThatThrownBy(() -> DefinitionParser.parse(wide, "/definition")).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.violations()).anySatisfy(v -> assertThat(v.detail()).contains("one node too many")));
    }
}
