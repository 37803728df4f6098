package dev.cdp.segment;

import static dev.cdp.segment.ProfileFixture.AYSE;
import static dev.cdp.segment.ProfileFixture.EMRE;
import static dev.cdp.segment.ProfileFixture.MEHMET;
import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The segment API over the hand-made customers of {@link ProfileFixture}. */
@QuarkusTest
class SegmentApiTest {

    private static final String FUEL_REGULARS = """
            {"logic": "AND", "conditions": [
              {"type": "profile", "field": "city", "operator": "eq", "value": "İstanbul"},
              {"type": "profile", "field": "age", "operator": "between", "value": [25, 45]},
              {"type": "transaction", "metric": "count", "operator": "gte", "value": 3, "filter": {"transactionType": "FUEL"}, "window": "P30D"}]}""";

    @BeforeAll
    static void loadProfiles() throws Exception {
        ProfileFixture.load();
    }

    @Test
    void createsRefreshesAndListsMembers() {
        String id = create("Istanbul fuel regulars " + UUID.randomUUID(), FUEL_REGULARS);
        given().get("/segments/{id}", id).then().statusCode(200)
                .body("version", equalTo(1)).body("size", nullValue()).body("definition.logic", equalTo("AND"));

        given().post("/segments/{id}/refresh", id).then().statusCode(200)
                .body("size", equalTo(1)).body("entered", equalTo(1)).body("exited", equalTo(0)).body("trigger", equalTo("api"));
        given().get("/segments/{id}", id).then().body("size", equalTo(1)).body("lastEvaluatedAt", notNullValue());
        given().get("/segments/{id}/members", id).then().statusCode(200)
                .body("items.customerId", hasItems(AYSE.toString())).body("items", hasSize(1)).body("next", nullValue());
        given().get("/profiles/{customerId}/segments", AYSE).then().statusCode(200).body("segmentId", hasItem(id));

        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(1)).body("entered", equalTo(0)).body("exited", equalTo(0));
        given().get("/segments/{id}/history", id).then().statusCode(200).body("", hasSize(2)).body("[1].entered", equalTo(1));
        given().get("/segments").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void recordsWhoEntersAndWhoExitsAsDataChanges() throws Exception {
        String id = create("Standard tier " + UUID.randomUUID(),
                "{\"type\": \"profile\", \"field\": \"tier\", \"operator\": \"eq\", \"value\": \"standard\"}");
        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(2)).body("entered", equalTo(2));
        try {
            change("UPDATE profile.customers SET segment = 'premium' WHERE customer_id = '" + EMRE + "'");
            change("UPDATE profile.customers SET segment = 'standard' WHERE customer_id = '" + AYSE + "'");
            given().post("/segments/{id}/refresh", id).then().body("size", equalTo(2)).body("entered", equalTo(1)).body("exited", equalTo(1));
            given().get("/segments/{id}/members", id).then().body("items.customerId", hasItems(AYSE.toString(), MEHMET.toString()));
            change("UPDATE profile.customers SET segment = 'standard' WHERE customer_id = '" + EMRE + "'");
            given().post("/profiles/{customerId}/segments/refresh", EMRE).then().statusCode(200).body("segmentId", hasItem(id));
            given().get("/segments/{id}", id).then().body("size", equalTo(3));
        } finally {
            change("UPDATE profile.customers SET segment = 'standard' WHERE customer_id = '" + EMRE + "'");
            change("UPDATE profile.customers SET segment = 'premium' WHERE customer_id = '" + AYSE + "'");
        }
    }

    @Test
    void streamsMembersWithTheirActivationIdentifiersAsNdjson() throws Exception {
        String id = create("Streamed " + UUID.randomUUID(), "{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"istanbul\"}");
        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(2));
        String body = given().accept("application/x-ndjson").get("/segments/{id}/members", id).then().statusCode(200)
                .contentType(containsString("application/x-ndjson")).extract().asString();
        List<JsonNode> lines = body.lines().filter(line -> !line.isBlank()).map(SegmentApiTest::read).toList();
        assertThat(lines).extracting(line -> line.path("customerId").asText()).containsExactly(AYSE.toString(), MEHMET.toString());
        assertThat(lines.get(0).path("email").asText()).endsWith("@example.com");
        assertThat(lines.get(0).path("countryCode").asText()).isEqualTo("TR");
        assertThat(lines.get(0).path("consentAdvertising").asBoolean()).isTrue();
        given().accept("application/x-ndjson").get("/segments/{id}/members", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void streamsEveryMemberOnceInIdOrderAcrossPagesWithTheirUserIds() throws Exception {
        // 12,345 customers in a city of their own: three pages of 5,000 and a short one. One has two user ids, which
        // profile-service's trigger keeps on the customer's row (V13); their order is the ids' order.
        change("INSERT INTO profile.customers (customer_id, city, city_normalized, country_code, consent_advertising, created_at) "
                + "SELECT md5('page-' || i)::uuid, 'Sayfa', 'sayfa', 'TR', true, now() FROM generate_series(1, 12345) i");
        UUID withUserIds = UUID.nameUUIDFromBytes("paged".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        change("INSERT INTO profile.customers (customer_id, city, city_normalized, created_at) VALUES ('" + withUserIds + "', 'Sayfa', 'sayfa', now())");
        change("INSERT INTO profile.identities (id_type, id_value, customer_id) VALUES ('userId', 'u-2', '" + withUserIds + "'), "
                + "('userId', 'u-1', '" + withUserIds + "'), ('email', 'p@example.com', '" + withUserIds + "')");
        try {
            String id = create("Paged " + UUID.randomUUID(), "{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"Sayfa\"}");
            given().post("/segments/{id}/refresh", id).then().body("size", equalTo(12346));
            String body = given().accept("application/x-ndjson").get("/segments/{id}/members", id).then().statusCode(200).extract().asString();
            List<JsonNode> lines = body.lines().filter(line -> !line.isBlank()).map(SegmentApiTest::read).toList();
            List<UUID> ids = lines.stream().map(line -> UUID.fromString(line.path("customerId").asText())).toList();
            assertThat(ids).hasSize(12346).doesNotHaveDuplicates();
            assertThat(ids.stream().map(UUID::toString).toList()).as("PostgreSQL's uuid order, as the lookup's").isSorted();
            JsonNode paged = lines.get(ids.indexOf(withUserIds));
            assertThat(paged.path("userIds").toString()).isEqualTo("[\"u-1\",\"u-2\"]");
            assertThat(lines.get(0).path("userIds").isArray()).as("none is an empty list").isTrue();

            // A file export asks for no order: the same lines, in the order the database reads them.
            String anyOrder = given().accept("application/x-ndjson").queryParam("order", "any").get("/segments/{id}/members", id)
                    .then().statusCode(200).extract().asString();
            assertThat(anyOrder.lines().filter(line -> !line.isBlank()).toList())
                    .containsExactlyInAnyOrderElementsOf(body.lines().filter(line -> !line.isBlank()).toList());
            given().accept("application/x-ndjson").queryParam("order", "name").get("/segments/{id}/members", id).then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", equalTo("order"));
        } finally {
            change("DELETE FROM profile.identities WHERE customer_id = '" + withUserIds + "'");
            change("DELETE FROM profile.customers WHERE city = 'Sayfa'");
        }
    }

    @Test
    void shipsExamplesThatCreateAndEvaluate() {
        List<Map<String, Object>> examples = given().get("/segments/examples").then().statusCode(200).extract().path("");
        assertThat(examples).hasSize(6);
        Map<String, Integer> sizes = new HashMap<>();
        for (Map<String, Object> example : examples) {
            Map<String, Object> body = new HashMap<>(example);
            body.put("name", example.get("name") + " " + UUID.randomUUID());
            String id = given().contentType(ContentType.JSON).body(body).post("/segments").then().statusCode(201).extract().path("id");
            sizes.put((String) example.get("name"), given().post("/segments/{id}/refresh", id).then().statusCode(200).extract().path("size"));
        }
        assertThat(sizes).containsEntry("İstanbul fuel regulars", 1).containsEntry("High spenders", 2)
                .containsEntry("Premium customers open to advertising", 2).containsEntry("Came from an Instagram ad", 1);
    }

    @Test
    void previewsAnUnsavedDefinitionWithASample() {
        given().contentType(ContentType.JSON).body("{\"definition\": {\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"ISTANBUL\"}}")
                .post("/segments/preview").then().statusCode(200)
                .body("size", equalTo(2)).body("sample", hasSize(2)).body("sample[0].city", notNullValue()).body("sample[0].email", nullValue());
    }

    @Test
    void namesTextThatCannotBeStoredInANameDescriptionOrDefinition() {
        // U+0000 and half a surrogate pair (PostgreSQL text holds neither): named in a 400, nothing created
        String name = "Unstorable " + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\\u0000\", \"description\": \"\\ud800\", \"definition\": "
                        + "{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"a\\u0000\"}}")
                .post("/segments").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("/name", "/description", "/definition/value"));
        given().contentType(ContentType.JSON).body("{\"definition\": {\"type\": \"event\", \"event\": \"a\\u0000\", \"operator\": \"never\"}}")
                .post("/segments/preview").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("/definition/event"));
        given().get("/segments").then().statusCode(200).body("name", not(hasItem(startsWith(name))));
    }

    @Test
    void showsTheSqlAndItsParameters() {
        String id = create("Query " + UUID.randomUUID(), FUEL_REGULARS);
        given().get("/segments/{id}/query", id).then().statusCode(200)
                .body("sql", containsString("FROM profile.read_customer_traits_v1 c WHERE")).body("sql", containsString("$1::text"))
                .body("parameters[0]", equalTo("istanbul")).body("parameters", hasItem(matchesPattern("\\d{4}-.*Z")));
    }

    @Test
    void updatesTheVersionOnlyWhenTheDefinitionChanges() {
        String name = "Versioned " + UUID.randomUUID();
        String id = create(name, FUEL_REGULARS);
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"description\": \"same rules\", \"definition\": " + FUEL_REGULARS + "}")
                .put("/segments/{id}", id).then().statusCode(200).body("version", equalTo(1)).body("description", equalTo("same rules"));
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"definition\": {\"type\": \"event\", \"event\": \"app_open\", \"operator\": \"never\"}}")
                .put("/segments/{id}", id).then().statusCode(200).body("version", equalTo(2));
        given().post("/segments/{id}/refresh", id).then().body("size", equalTo(3));
    }

    @Test
    void answersProblemsForBadRequestsAndUnknownSegments() {
        given().contentType(ContentType.JSON).body("{\"name\": \"\", \"definition\": {\"type\": \"profile\", \"field\": \"shoeSize\", \"operator\": \"eq\", \"value\": 1}}")
                .post("/segments").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("/name", "/definition/field"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"definition\": ").post("/segments").then().statusCode(400)
                .contentType("application/problem+json");
        String name = "Taken " + UUID.randomUUID();
        create(name, FUEL_REGULARS);
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name.toUpperCase() + "\", \"definition\": " + FUEL_REGULARS + "}")
                .post("/segments").then().statusCode(409).contentType("application/problem+json").body("violations[0].field", equalTo("/name"));
        UUID unknown = UUID.randomUUID();
        given().get("/segments/{id}", unknown).then().statusCode(404).contentType("application/problem+json");
        given().post("/segments/{id}/refresh", unknown).then().statusCode(404);
        given().get("/segments/{id}", "not-a-uuid").then().statusCode(400).body("violations[0].field", equalTo("id"));
        given().get("/segments/{id}/members?limit=0", UUID.randomUUID()).then().statusCode(400);
    }

    @Test
    void deletesASegmentWithItsMembers() {
        String id = create("Deleted " + UUID.randomUUID(), FUEL_REGULARS);
        given().post("/segments/{id}/refresh", id).then().statusCode(200);
        given().delete("/segments/{id}", id).then().statusCode(204);
        given().get("/segments/{id}", id).then().statusCode(404);
        given().get("/profiles/{customerId}/segments", AYSE).then().body("segmentId", not(hasItem(id)));
    }

    private static String create(String name, String definition) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"definition\": " + definition + "}")
                .post("/segments").then().statusCode(201).header("Location", containsString("/segments/"))
                .body("name", equalTo(name)).extract().path("id");
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void change(String sql) throws Exception {
        try (Connection db = TestDatabase.admin(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }
}
