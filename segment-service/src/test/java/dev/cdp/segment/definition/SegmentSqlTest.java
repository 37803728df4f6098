package dev.cdp.segment.definition;

import static dev.cdp.segment.ProfileFixture.ANON;
import static dev.cdp.segment.ProfileFixture.AYSE;
import static dev.cdp.segment.ProfileFixture.EMRE;
import static dev.cdp.segment.ProfileFixture.MEHMET;
import static dev.cdp.segment.ProfileFixture.NOW;
import static dev.cdp.segment.ProfileFixture.ZEYNEP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.IsoTimes;
import dev.cdp.segment.ProfileFixture;
import dev.cdp.segment.definition.SqlCompiler.Compiled;
import dev.cdp.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operator and condition kind, compiled and run on real PostgreSQL over hand-made customers (see
 * {@link ProfileFixture}) at a fixed evaluation time, so windows can be checked at their edges. The merged customer
 * holds data that would match many of these; it never appears.
 */
class SegmentSqlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void loadProfiles() throws Exception {
        ProfileFixture.load();
    }

    @Test
    void matchesCitiesTheWayATurkishUserExpects() throws Exception {
        for (String city : List.of("İstanbul", "istanbul", "ISTANBUL", "Istanbul", " İSTANBUL ")) {
            assertThat(members(profile("city", "eq", quote(city)))).as(city).containsExactlyInAnyOrder(AYSE, MEHMET);
        }
        assertThat(members(profile("city", "neq", "\"İstanbul\""))).containsExactlyInAnyOrder(ZEYNEP, ANON, EMRE);
        assertThat(members(profile("city", "in", "[\"Ankara\", \"izmir\"]"))).containsExactlyInAnyOrder(ZEYNEP, EMRE);
        assertThat(members(profile("city", "not_in", "[\"ISTANBUL\"]"))).containsExactlyInAnyOrder(ZEYNEP, ANON, EMRE);
        assertThat(members(profile("city", "contains", "\"STAN\""))).containsExactlyInAnyOrder(AYSE, MEHMET);
        assertThat(members(profile("city", "starts_with", "\"İz\""))).containsExactly(EMRE);
        assertThat(members(profile("segment", "contains", "\"%\""))).as("wildcards are literal").isEmpty();
        assertThat(members(profile("segment", "starts_with", "\"prem\""))).containsExactlyInAnyOrder(AYSE, ZEYNEP);
        assertThat(members("{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"exists\", \"value\": false}")).containsExactly(ANON);
        assertThat(members("{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"exists\"}")).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
    }

    @Test
    void comparesNumbersTextBooleansAndPresence() throws Exception {
        assertThat(members(profile("age", "between", "[25, 45]"))).containsExactlyInAnyOrder(AYSE, ZEYNEP, EMRE);
        assertThat(members(profile("age", "gt", "45"))).containsExactly(MEHMET);
        assertThat(members(profile("age", "gte", "45"))).containsExactlyInAnyOrder(MEHMET, EMRE);
        assertThat(members(profile("age", "lt", "25"))).isEmpty();
        assertThat(members(profile("age", "lte", "25"))).containsExactly(ZEYNEP);
        assertThat(members(profile("age", "eq", "25"))).containsExactly(ZEYNEP);
        assertThat(members(profile("age", "in", "[30, 50]"))).containsExactlyInAnyOrder(AYSE, MEHMET);
        // Ages compile to birth-date ranges: the day before a birthday and the birthday itself are on either side.
        assertThat(members(profile("age", "lt", "46"))).as("45 until the day before turning 46").containsExactlyInAnyOrder(AYSE, ZEYNEP, EMRE);
        assertThat(members(profile("age", "lte", "44"))).containsExactlyInAnyOrder(AYSE, ZEYNEP);
        assertThat(members(profile("age", "gt", "24"))).as("25 from the birthday on").containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        assertThat(members(profile("age", "eq", "45.5"))).as("ages are whole years").isEmpty();
        assertThat(members(profile("age", "between", "[24.5, 25.5]"))).containsExactly(ZEYNEP);
        assertThat(members(profile("age", "gt", "24.5"))).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        assertThat(members(profile("age", "lt", "25.5"))).containsExactly(ZEYNEP);
        assertThat(members(profile("age", "neq", "25"))).as("unknown ages are not 25").containsExactlyInAnyOrder(AYSE, MEHMET, EMRE, ANON);
        assertThat(members(profile("age", "lt", "1000000"))).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        assertThat(members(profile("segment", "eq", "\"PREMIUM\""))).containsExactlyInAnyOrder(AYSE, ZEYNEP);
        assertThat(members(profile("tier", "in", "[\"standard\"]"))).containsExactlyInAnyOrder(MEHMET, EMRE);
        assertThat(members(profile("gender", "eq", "\"female\""))).containsExactlyInAnyOrder(AYSE, ZEYNEP);
        assertThat(members(profile("gender", "eq", "\"Kadın\""))).as("the Turkish word, stored as female").containsExactlyInAnyOrder(AYSE, ZEYNEP);
        for (String given : List.of("Non-binary", "non-binary", "NON BINARY")) {
            assertThat(members(profile("gender", "eq", quote(given)))).as(given).containsExactly(ANON);
        }
        assertThat(members(profile("gender", "neq", "\"Non-binary\""))).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        for (String given : List.of("ŞİŞLİ", "şişli", "Şişli")) {
            assertThat(members(profile("state", "eq", quote(given)))).as(given).containsExactly(ZEYNEP);
        }
        assertThat(members(profile("state", "contains", "\"ŞİŞ\""))).containsExactly(ZEYNEP);
        assertThat(members(profile("state", "in", "[\"şişli\", \"Kadıköy\"]"))).containsExactly(ZEYNEP);
        assertThat(members(profile("state", "neq", "\"ŞİŞLİ\""))).doesNotContain(ZEYNEP);
        assertThat(members(profile("advertisingOptIn", "eq", "true"))).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP);
        assertThat(members(profile("advertisingOptIn", "eq", "false"))).containsExactly(EMRE);
        assertThat(members(profile("advertisingOptIn", "neq", "true"))).containsExactlyInAnyOrder(ANON, EMRE);
        assertThat(members("{\"type\": \"profile\", \"field\": \"email\", \"operator\": \"exists\"}")).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        assertThat(members(profile("email", "exists", "false"))).containsExactly(ANON);
        assertThat(members(profile("country", "eq", "\"tr\""))).containsExactlyInAnyOrder(AYSE, MEHMET, ZEYNEP, EMRE);
        assertThat(members(profile("birthDate", "lt", quote(NOW.atZone(ZoneOffset.UTC).toLocalDate().minusYears(49).toString()))))
                .containsExactly(MEHMET);
        assertThat(members(profile("createdAt", "lt", quote(IsoTimes.format(NOW))))).hasSize(5);
    }

    @Test
    void countsTransactionsInWindowsIncludingTheirStartButNotTheirEnd() throws Exception {
        assertThat(members(transaction("count", "gte", "3", "{\"transactionType\": \"FUEL\"}", "\"P30D\"")))
                .as("30 days ago exactly is in, now is out").containsExactlyInAnyOrder(AYSE, ZEYNEP);
        assertThat(members(transaction("count", "gte", "3", "{\"transactionType\": \"FUEL\"}", "\"P29D\""))).containsExactly(AYSE);
        assertThat(members(transaction("count", "gte", "1", "{\"transactionType\": \"FUEL\"}", "\"PT1H\""))).as("now is out").isEmpty();
        assertThat(members(transaction("count", "eq", "0", null, null))).containsExactly(ANON);
        assertThat(members(transaction("count", "eq", "0", "{\"transactionType\": \"MARKET\"}", null)))
                .containsExactlyInAnyOrder(MEHMET, ZEYNEP, ANON, EMRE);
        assertThat(members(transaction("count", "gte", "1", "{\"storeId\": [\"ST-9\", \"ST-404\"]}", null))).containsExactly(EMRE);
        String around = "{\"from\": \"" + IsoTimes.format(NOW.minus(61, ChronoUnit.DAYS)) + "\", \"to\": \"" + IsoTimes.format(NOW.minus(59, ChronoUnit.DAYS)) + "\"}";
        assertThat(members(transaction("count", "eq", "1", "{\"transactionType\": [\"MARKET\", \"PURCHASE\"]}", around))).containsExactly(AYSE);
    }

    @Test
    void comparesSumsAveragesAndMaximaOfAmounts() throws Exception {
        assertThat(members(transaction("sum", "gte", "5000", null, null))).containsExactlyInAnyOrder(AYSE, EMRE);
        assertThat(members(transaction("sum", "gte", "5000", null, "\"P30D\""))).containsExactly(EMRE);
        assertThat(members(transaction("sum", "between", "[250, 300]", "{\"transactionType\": \"FUEL\"}", null)))
                .containsExactlyInAnyOrder(MEHMET, ZEYNEP);
        assertThat(members(transaction("max", "gt", "5000", null, null))).containsExactly(EMRE);
        assertThat(members(transaction("avg", "lt", "100", null, null))).as("no transactions: no average").containsExactly(MEHMET);
        assertThat(members(transaction("sum", "lt", "1", null, null))).as("no transactions: a sum of 0").containsExactly(ANON);
    }

    @Test
    void countsEventsWithWindowsPropertiesAndNever() throws Exception {
        assertThat(members(event("app_open", "gte", "2", null, "\"P7D\""))).containsExactly(AYSE);
        assertThat(members(event("app_open", "gte", "1", null, null))).containsExactlyInAnyOrder(AYSE, MEHMET);
        assertThat(members(event("app_open", "never", null, null, null))).containsExactlyInAnyOrder(ZEYNEP, ANON, EMRE);
        assertThat(members(event("app_open", "never", null, null, "\"P2D\""))).containsExactlyInAnyOrder(MEHMET, ZEYNEP, ANON, EMRE);
        assertThat(members(event("app_open", "eq", "0", null, null))).containsExactlyInAnyOrder(ZEYNEP, ANON, EMRE);
        assertThat(members(event("product_view", "gte", "1", "{\"category\": \"fuel\"}", null))).containsExactly(ANON);
        assertThat(members(event("product_view", "gte", "1", "{\"category\": \"market\"}", null))).isEmpty();
        assertThat(members(event("app_open", "gte", "1", "{\"os\": \"ios\"}", "\"P30D\""))).containsExactlyInAnyOrder(AYSE, MEHMET);
    }

    @Test
    void filtersEventsByPageNameContextAndPropertyWithEveryOperator() throws Exception {
        assertThat(members(filtered("page_view", "{\"field\": \"name\", \"operator\": \"eq\", \"value\": \"kampanya\"}")))
                .as("names compare case-insensitively").containsExactly(ZEYNEP);
        assertThat(members(filtered(null, "{\"field\": \"context.campaign.source\", \"operator\": \"eq\", \"value\": \"instagram\"}")))
                .as("any event").containsExactly(ZEYNEP);
        assertThat(members(filtered(null, "{\"field\": \"context.campaign.source\", \"operator\": \"in\", \"value\": [\"GOOGLE\", \"tiktok\"]}")))
                .containsExactly(EMRE);
        assertThat(members(filtered("page_view", "{\"field\": \"context.campaign.source\", \"operator\": \"neq\", \"value\": \"instagram\"}")))
                .containsExactly(EMRE);
        assertThat(members(filtered("page_view", "{\"field\": \"context.page.path\", \"operator\": \"starts_with\", \"value\": \"/KAMP\"}")))
                .containsExactly(ZEYNEP);
        assertThat(members(filtered("page_view", "{\"field\": \"name\", \"operator\": \"contains\", \"value\": \"yat\"}")))
                .containsExactly(EMRE);
        assertThat(members(filtered("page_view", "{\"field\": \"context.campaign.name\", \"operator\": \"exists\", \"value\": true}")))
                .containsExactly(ZEYNEP);
        assertThat(members(filtered("page_view", "{\"field\": \"context.campaign.name\", \"operator\": \"not_in\", \"value\": [\"kis\"]}")))
                .as("no campaign name is not in the list").containsExactly(EMRE);
        assertThat(members(filtered("product_view", "{\"field\": \"properties.price\", \"operator\": \"gt\", \"value\": 1000}")))
                .as("prices compare as numbers; a price sent as text is no number").containsExactly(EMRE);
        assertThat(members(filtered("product_view", "{\"field\": \"properties.price\", \"operator\": \"between\", \"value\": [1500, 1600]}")))
                .containsExactly(EMRE);
        assertThat(members(filtered("product_view", "{\"field\": \"properties.price\", \"operator\": \"in\", \"value\": [1500]}")))
                .containsExactly(EMRE);
        assertThat(members(filtered("product_view", "{\"field\": \"properties.sku\", \"operator\": \"in\", \"value\": [\"oil-5w30\"]}")))
                .containsExactly(MEHMET);
        assertThat(members("{\"type\": \"event\", \"event\": \"page_view\", \"operator\": \"gte\", \"value\": 1, \"window\": \"P3D\", "
                + "\"where\": [{\"field\": \"name\", \"operator\": \"eq\", \"value\": \"Kampanya\"}]}"))
                .as("with a window").containsExactly(ZEYNEP);
        assertThat(members("{\"type\": \"event\", \"event\": \"page_view\", \"operator\": \"never\", "
                + "\"where\": [{\"field\": \"context.campaign.source\", \"operator\": \"eq\", \"value\": \"instagram\"}]}"))
                .containsExactlyInAnyOrder(AYSE, MEHMET, ANON, EMRE);
    }

    static String filtered(String event, String filter) {
        return "{\"type\": \"event\"" + (event == null ? "" : ", \"event\": \"" + event + "\"")
                + ", \"operator\": \"gte\", \"value\": 1, \"where\": [" + filter + "]}";
    }

    @Test
    void nestsAndOrAndNotGroups() throws Exception {
        assertThat(members(group("OR", profile("city", "eq", "\"Ankara\""), profile("city", "eq", "\"İzmir\"")))).containsExactlyInAnyOrder(ZEYNEP, EMRE);
        assertThat(members(group("NOT", profile("city", "eq", "\"istanbul\"")))).containsExactlyInAnyOrder(ZEYNEP, ANON, EMRE);
        assertThat(members(group("NOT", profile("segment", "eq", "\"premium\""), profile("age", "lt", "28"))))
                .as("NOT (a AND b)").containsExactlyInAnyOrder(AYSE, MEHMET, ANON, EMRE);
        assertThat(members(group("AND", profile("segment", "eq", "\"premium\""),
                group("OR", profile("age", "gt", "40"), group("NOT", profile("city", "eq", "\"ankara\"")))))).containsExactly(AYSE);
    }

    @Test
    void answersTheIssuesExample() throws Exception {
        assertThat(members(group("AND", profile("city", "eq", "\"İstanbul\""), profile("age", "between", "[25, 45]"),
                transaction("count", "gte", "3", "{\"transactionType\": \"FUEL\"}", "\"P30D\"")))).containsExactly(AYSE);
    }

    @Test
    void keepsValuesOutOfTheSqlText() throws Exception {
        String attack = "x' OR '1'='1'; DROP TABLE profile.customers; --";
        Compiled compiled = compile(profile("segment", "eq", quote(attack)));
        assertThat(compiled.sql()).doesNotContain("DROP").doesNotContain("'1'='1'");
        assertThat(members(profile("segment", "eq", quote(attack)))).isEmpty();
        assertThat(members(profile("city", "exists", "true"))).hasSize(4);
    }

    @Test
    void evaluatesSomeCustomersAgainstManySegmentsInOneQuery() throws Exception {
        Map<UUID, String> definitions = new LinkedHashMap<>();
        definitions.put(UUID.randomUUID(), profile("city", "eq", "\"İstanbul\""));
        definitions.put(UUID.randomUUID(), profile("age", "between", "[25, 45]"));
        definitions.put(UUID.randomUUID(), transaction("count", "gte", "1", "{\"transactionType\": \"FUEL\"}", "\"P30D\""));
        definitions.put(UUID.randomUUID(), event("coupon_redeemed", "never", null, null, null));
        definitions.put(UUID.randomUUID(), group("NOT", profile("segment", "eq", "\"premium\"")));
        List<UUID> among = List.of(AYSE, ZEYNEP, ANON, EMRE);
        Map<UUID, Condition> conditions = new LinkedHashMap<>();
        Set<List<UUID>> expected = new HashSet<>();
        for (Map.Entry<UUID, String> segment : definitions.entrySet()) {
            conditions.put(segment.getKey(), DefinitionParser.parse(JSON.readTree(segment.getValue()), "/definition"));
            members(segment.getValue()).stream().filter(among::contains).forEach(customer -> expected.add(List.of(segment.getKey(), customer)));
        }
        assertThat(expected).as("the fixture gives every segment members among them").extracting(row -> row.get(0))
                .containsAll(definitions.keySet());
        assertThat(rows(SqlCompiler.membersAmong(conditions, NOW, among))).isEqualTo(expected);
    }

    private static Compiled compile(String definition) throws Exception {
        return SqlCompiler.members(DefinitionParser.parse(JSON.readTree(definition), "/definition"), NOW);
    }

    static Set<UUID> members(String definition) throws Exception {
        Set<UUID> members = new HashSet<>();
        rows(compile(definition)).forEach(row -> members.add(row.get(0)));
        return members;
    }

    /** Runs a compiled query over JDBC (its $n placeholders, numbered in order, become ?); its rows, of ids. */
    static Set<List<UUID>> rows(Compiled compiled) throws Exception {
        Matcher placeholders = Pattern.compile("\\$(\\d+)").matcher(compiled.sql());
        int expected = 0;
        while (placeholders.find()) {
            assertThat(Integer.parseInt(placeholders.group(1))).isEqualTo(++expected);
        }
        try (Connection db = TestDatabase.admin(); Statement setup = db.createStatement()) {
            setup.execute("SET TIME ZONE 'UTC'");
            try (PreparedStatement query = db.prepareStatement(placeholders.replaceAll("?"))) {
                for (int i = 0; i < compiled.parameters().size(); i++) {
                    Object value = compiled.parameters().get(i);
                    if (value instanceof String[] array) {
                        query.setArray(i + 1, db.createArrayOf("text", array));
                    } else if (value instanceof String text) {
                        query.setString(i + 1, text);
                    } else {
                        query.setObject(i + 1, value); // an OffsetDateTime or a LocalDate, as the service binds them
                    }
                }
                Set<List<UUID>> found = new HashSet<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        List<UUID> row = new ArrayList<>();
                        for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                            row.add(rows.getObject(column, UUID.class));
                        }
                        found.add(row);
                    }
                }
                return found;
            }
        }
    }

    static String profile(String field, String operator, String value) {
        return "{\"type\": \"profile\", \"field\": \"" + field + "\", \"operator\": \"" + operator + "\", \"value\": " + value + "}";
    }

    static String transaction(String metric, String operator, String value, String filter, String window) {
        return "{\"type\": \"transaction\", \"metric\": \"" + metric + "\", \"operator\": \"" + operator + "\", \"value\": " + value
                + (filter == null ? "" : ", \"filter\": " + filter) + (window == null ? "" : ", \"window\": " + window) + "}";
    }

    static String event(String name, String operator, String value, String properties, String window) {
        return "{\"type\": \"event\", \"event\": \"" + name + "\", \"operator\": \"" + operator + "\""
                + (value == null ? "" : ", \"value\": " + value) + (properties == null ? "" : ", \"properties\": " + properties)
                + (window == null ? "" : ", \"window\": " + window) + "}";
    }

    static String group(String logic, String... conditions) {
        return "{\"logic\": \"" + logic + "\", \"conditions\": [" + String.join(", ", conditions) + "]}";
    }

    private static String quote(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }
}
