package dev.cdp.ingestion.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cdp.events.ProfileTraits;
import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.domain.ImportKind;
import dev.cdp.problem.Violation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Whatever a file's row holds, the import maps it and the intake checks it without failing on their own: each problem
 * is a violation naming a field the row's columns lead to, and a row that passes is a message whose every text
 * PostgreSQL can hold and whose profile fields fit what the profile keeps.
 */
class ImportMappingPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageValidator VALIDATOR = new MessageValidator("TR");
    /** A valid row of each kind, as files have them: column -> cell. */
    private static final Map<ImportKind, Map<String, String>> VALID = Map.of(
            ImportKind.CUSTOMERS, row("customer_id", "c-1001", "email", "ayse@example.com", "phone", "0532 111 22 33", "first_name", "Ayşe",
                    "city", "İstanbul", "zip", "34000", "country", "TR", "birth_date", "1990-03-07", "segment", "premium",
                    "loyalty_card", "LC-77", "email_opt_in", "yes", "ads_opt_in", "hayır", "updated_at", "2026-11-26T10:15:30+03:00",
                    "favourite_fuel", "diesel"),
            ImportKind.TRANSACTIONS, row("transaction_id", "T-1", "customer_id", "c-1001", "email", "ayse@example.com", "phone", "05321112233",
                    "type", "FUEL", "amount", "1250.40", "currency", "TRY", "store_id", "IST-007",
                    "items", "[{\"sku\": \"FUEL-95\", \"quantity\": 28.95, \"unitPrice\": 43.19}]", "transaction_date", "2026-11-26 10:15:30"),
            ImportKind.INTERACTIONS, row("event_id", "e-1", "customer_id", "c-1001", "event", "app_open", "channel", "app",
                    "properties", "{\"sku\": \"A-1\"}", "occurred_at", "2026-11-26T10:15:30+03:00"));

    private static Map<String, String> row(String... cells) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i += 2) {
            row.put(cells[i], cells[i + 1]);
        }
        return row;
    }

    @Property(tries = 1500)
    @StatisticsReport(onFailureOnly = true)
    void aRowIsMappedAndCheckedIntoViolationsOrAStorableMessage(@ForAll("rows") Tuple.Tuple2<ImportKind, Map<String, JsonNode>> drawn) {
        // rows of every kind both pass and fail often enough to mean something
        Statistics.coverage(coverage -> {
            for (ImportKind each : ImportKind.values()) {
                coverage.check(each, true).percentage(share -> share >= 3);
                coverage.check(each, false).percentage(share -> share >= 3);
            }
        });
        ImportKind kind = drawn.get1();
        ImportMapping mapping = new ImportMapping(kind, ZoneId.of("Europe/Istanbul"), text -> {
            try {
                return JSON.readTree(text);
            } catch (Exception e) {
                return null;
            }
        });
        List<Violation> violations = new ArrayList<>();
        ImportMapping.Mapped mapped = mapping.map(drawn.get2(), violations);
        if (violations.isEmpty()) {
            VALIDATOR.check(mapped.message(), kind.messageType(), "", Instant.now(), null, violations);
        }
        Statistics.collect(kind, violations.isEmpty());
        if (!violations.isEmpty()) {
            assertThat(violations).allSatisfy(violation -> assertThat(violation.field()).startsWith("/"));
            return;
        }
        assertStorable(mapped.message());
        JsonNode traits = mapped.message().path("traits");
        ProfileTraits.PATHS.values().stream().flatMap(List::stream).map(path -> traits.at("/" + path)).filter(JsonNode::isValueNode)
                .forEach(value -> assertThat(value.asText().length()).isLessThanOrEqualTo(ProfileTraits.MAX_LENGTH));
    }

    private static void assertStorable(JsonNode node) {
        node.fieldNames().forEachRemaining(name -> assertThat(TextKeys.storable(name)).isTrue());
        if (node.isTextual()) {
            assertThat(TextKeys.storable(node.asText())).as("text %s", node.asText()).isTrue();
        }
        node.forEach(ImportMappingPropertiesTest::assertStorable);
    }

    /** A valid row of a kind, in half of them with one cell replaced by something hostile. */
    @Provide
    Arbitrary<Tuple.Tuple2<ImportKind, Map<String, JsonNode>>> rows() {
        return Combinators.combine(Arbitraries.of(ImportKind.values()), Arbitraries.integers().between(0, 100), hostile(), Arbitraries.of(true, false))
                .as((kind, which, bad, spoiled) -> {
                    Map<String, JsonNode> row = new LinkedHashMap<>();
                    List<String> columns = List.copyOf(VALID.get(kind).keySet());
                    for (String column : columns) {
                        String cell = spoiled && column.equals(columns.get(which % columns.size())) ? bad : VALID.get(kind).get(column);
                        row.put(column, JsonNodeFactory.instance.textNode(cell));
                    }
                    return Tuple.of(kind, row);
                });
    }

    /** What a careless export or a hostile file puts in a cell. */
    private Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("a\u0000b", "\ud800", "k".repeat(9000), "1.23456", "0.000001", "1e400", "-5", "{\"a\": ", "[]", "{}",
                        "0000-01-01", "+999999999-12-31T23:59:59Z", "2026-02-30", "evet", "maybe", "İ", "=cmd|' /C calc'!A0"));
    }
}
