package dev.cdp.segment;

import static dev.cdp.segment.ProfileFixture.ANON;
import static dev.cdp.segment.ProfileFixture.AYSE;
import static dev.cdp.segment.ProfileFixture.EMRE;
import static dev.cdp.segment.ProfileFixture.MEHMET;
import static dev.cdp.segment.ProfileFixture.MERGED;
import static dev.cdp.segment.ProfileFixture.ZEYNEP;
import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /segments/{id}/members/lookup}: membership now, with the activation identifiers, for chosen customers. */
@QuarkusTest
class MemberLookupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NDJSON = "application/x-ndjson";
    /** Never customers; first and last in PostgreSQL's uuid order (Java's UUID.compareTo puts the second first). */
    private static final UUID LOWEST = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID HIGHEST = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");

    private static String istanbul;

    @BeforeAll
    static void loadProfiles() throws Exception {
        ProfileFixture.load();
        change("INSERT INTO profile.identities (id_type, id_value, customer_id) VALUES ('userId', 'u-ayse-2', '" + AYSE + "'), "
                + "('userId', 'u-ayse-1', '" + AYSE + "'), ('userId', 'u-merged', '" + MERGED + "')");
        change("UPDATE profile.customers SET phone_e164 = '+905321112233', first_name = 'Ayşe', consent_sms = false WHERE customer_id = '" + AYSE + "'");
    }

    /** A segment of AYSE and MEHMET (MERGED lives in İstanbul too, but the read model does not hold a merged customer). */
    private static synchronized String istanbul() {
        if (istanbul != null) {
            return istanbul;
        }
        istanbul = given().contentType(ContentType.JSON).body("{\"name\": \"Lookup " + UUID.randomUUID()
                + "\", \"definition\": {\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"istanbul\"}}")
                .post("/segments").then().statusCode(201).extract().path("id");
        given().post("/segments/{id}/refresh", istanbul).then().statusCode(200).body("size", equalTo(2));
        return istanbul;
    }

    @Test
    void answersEachCustomerOnceInCustomerIdOrderWithTheStreamsIdentifiers() {
        List<JsonNode> lines = lookup(istanbul(), List.of(HIGHEST.toString(), MEHMET.toString(), ZEYNEP.toString(), LOWEST.toString(),
                AYSE.toString(), EMRE.toString().toUpperCase(), ANON.toString(), MERGED.toString(), AYSE.toString()));

        assertThat(lines).extracting(line -> line.path("customerId").asText()).containsExactly(LOWEST.toString(), AYSE.toString(),
                MEHMET.toString(), ZEYNEP.toString(), ANON.toString(), EMRE.toString(), MERGED.toString(), HIGHEST.toString());
        assertThat(lines).extracting(line -> line.path("member").asBoolean()).containsExactly(false, true, true, false, false, false, false, false);

        // A member's line is the members stream's line, and "member".
        Map<String, JsonNode> streamed = given().accept(NDJSON).get("/segments/{id}/members", istanbul()).then().statusCode(200)
                .extract().asString().lines().filter(line -> !line.isBlank()).map(MemberLookupTest::read)
                .collect(Collectors.toMap(line -> line.path("customerId").asText(), line -> line));
        assertThat(streamed).containsOnlyKeys(AYSE.toString(), MEHMET.toString());
        for (JsonNode line : lines.subList(1, 3)) {
            ObjectNode withoutMember = ((ObjectNode) line.deepCopy());
            withoutMember.remove("member");
            assertThat(withoutMember).isEqualTo(streamed.get(line.path("customerId").asText()));
        }
        // Every customer the read model holds has all the properties, members or not; nulls are written as null.
        List<String> properties = List.of("customerId", "email", "phone", "firstName", "lastName", "birthDate", "gender", "city", "state",
                "postalCode", "countryCode", "consentAdvertising", "consentEmail", "consentSms", "userIds", "member");
        for (JsonNode line : lines.subList(1, 6)) {
            assertThat(fieldNames(line)).as(line.path("customerId").asText()).containsExactlyElementsOf(properties);
        }

        JsonNode ayse = lines.get(1);
        assertThat(ayse.path("email").asText()).isEqualTo("00000a@example.com");
        assertThat(ayse.path("phone").asText()).isEqualTo("+905321112233");
        assertThat(ayse.path("firstName").asText()).isEqualTo("Ayşe");
        assertThat(ayse.path("city").asText()).isEqualTo("İstanbul");
        assertThat(ayse.path("countryCode").asText()).isEqualTo("TR");
        assertThat(ayse.path("gender").asText()).isEqualTo("female");
        assertThat(ayse.path("birthDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(ayse.path("consentAdvertising").asBoolean()).isTrue();
        assertThat(ayse.path("consentEmail").asBoolean()).isTrue();
        assertThat(ayse.path("consentSms").isBoolean()).isTrue();
        assertThat(ayse.path("consentSms").asBoolean()).isFalse();
        assertThat(ayse.path("userIds")).containsExactly(JSON.valueToTree("u-ayse-1"), JSON.valueToTree("u-ayse-2"));

        JsonNode zeynep = lines.get(3);
        assertThat(zeynep.path("city").asText()).isEqualTo("Ankara");
        assertThat(zeynep.path("state").asText()).isEqualTo("ŞİŞLİ");
        assertThat(zeynep.path("consentAdvertising").asBoolean()).isTrue();
        assertThat(zeynep.path("userIds").isArray()).isTrue();
        assertThat(zeynep.path("userIds")).isEmpty();
        JsonNode anon = lines.get(4);
        assertThat(anon.path("consentAdvertising").isNull()).isTrue();
        assertThat(anon.path("email").isNull()).isTrue();
        assertThat(anon.path("countryCode").isNull()).isTrue();
        JsonNode emre = lines.get(5);
        assertThat(emre.path("consentAdvertising").asBoolean()).isFalse();
        assertThat(emre.path("email").asText()).isEqualTo("00000e@example.com");

        // Unknown and merged customers: only the id and "not a member", nothing of what the merged row still holds.
        for (JsonNode line : List.of(lines.get(0), lines.get(6), lines.get(7))) {
            assertThat(fieldNames(line)).containsExactly("customerId", "member");
            assertThat(line.path("member").asBoolean()).isFalse();
        }
    }

    @Test
    void aMergedCustomerIsNotAMemberEvenBeforeTheirMembershipsAreReevaluated() throws Exception {
        String id = given().contentType(ContentType.JSON).body("{\"name\": \"Stale " + UUID.randomUUID()
                + "\", \"definition\": {\"type\": \"profile\", \"field\": \"tier\", \"operator\": \"eq\", \"value\": \"premium\"}}")
                .post("/segments").then().statusCode(201).extract().path("id");
        given().post("/segments/{id}/refresh", id).then().statusCode(200).body("size", equalTo(2));
        // As if MERGED was a member when profile-service merged them, and segment-service has not heard of it yet.
        change("INSERT INTO segment.memberships (segment_id, customer_id) VALUES ('" + id + "', '" + MERGED + "')");

        List<JsonNode> lines = lookup(id, List.of(MERGED.toString(), ZEYNEP.toString(), AYSE.toString(), MEHMET.toString()));
        assertThat(lines).extracting(line -> line.path("customerId").asText() + " " + line.path("member").asBoolean())
                .containsExactly(AYSE + " true", MEHMET + " false", ZEYNEP + " true", MERGED + " false");
        assertThat(fieldNames(lines.get(3))).containsExactly("customerId", "member");
    }

    @Test
    void answersAThousandCustomersAndANewSegmentsNonMembers() {
        String never = given().contentType(ContentType.JSON).body("{\"name\": \"Never evaluated " + UUID.randomUUID()
                + "\", \"definition\": {\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"ankara\"}}")
                .post("/segments").then().statusCode(201).extract().path("id");
        List<String> ids = new ArrayList<>(IntStream.range(0, 999).mapToObj(i -> UUID.randomUUID().toString()).toList());
        ids.add(ZEYNEP.toString());
        List<JsonNode> lines = lookup(never, ids);
        assertThat(lines).hasSize(1000).allSatisfy(line -> assertThat(line.path("member").asBoolean()).isFalse());
        assertThat(lines).filteredOn(line -> line.has("email")).extracting(line -> line.path("customerId").asText())
                .containsExactly(ZEYNEP.toString());
    }

    @Test
    void namesEachInvalidFieldInAProblem() {
        String ok = AYSE.toString();
        invalid("[\"" + ok + "\"]").body("violations.field", containsInAnyOrder(""));
        invalid("{}").body("violations.field", containsInAnyOrder("/customerIds")).body("detail", containsString("is required"));
        invalid("{\"customerIds\": null}").body("violations.field", containsInAnyOrder("/customerIds"));
        invalid("{\"customerIds\": \"" + ok + "\"}").body("violations.field", containsInAnyOrder("/customerIds"))
                .body("violations[0].detail", containsString("must be an array"));
        invalid("{\"customerIds\": []}").body("violations.field", containsInAnyOrder("/customerIds"))
                .body("violations[0].detail", containsString("at least 1"));
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "\"" + UUID.randomUUID() + "\"").collect(Collectors.joining(","));
        invalid("{\"customerIds\": [" + tooMany + "]}").body("violations.field", containsInAnyOrder("/customerIds"))
                .body("violations[0].detail", containsString("at most 1000"));
        invalid("{\"customerIds\": [\"" + ok + "\", \"not-a-uuid\", 7, null, \"" + ok.replace("-", "") + "\", \"-" + ok.substring(1)
                + "\", {\"id\": \"" + ok + "\"}, \"" + ok + "\"]}")
                .body("violations.field", containsInAnyOrder("/customerIds/1", "/customerIds/2", "/customerIds/3", "/customerIds/4",
                        "/customerIds/5", "/customerIds/6"))
                .body("violations.detail", containsInAnyOrder("must be a UUID", "must be a UUID", "must be a UUID", "must be a UUID",
                        "must be a UUID", "must be a UUID"))
                .body(not(containsString("not-a-uuid")));
        invalid("{\"customerIds\": [\"" + ok + "\"], \"segmentId\": \"x\"}").body("violations.field", containsInAnyOrder("/segmentId"));
        invalid("{\"customerIds\": [");

        given().contentType(ContentType.JSON).body("{\"customerIds\": [\"" + ok + "\"]}").post("/segments/{id}/members/lookup", "nope")
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("id"));
        given().contentType(ContentType.JSON).body("{\"customerIds\": [\"" + ok + "\"]}").post("/segments/{id}/members/lookup", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").body("type", equalTo("urn:cdp:problem:not-found"));
        given().contentType(ContentType.TEXT).body(ok).post("/segments/{id}/members/lookup", istanbul()).then().statusCode(415);
        // The service's body limit (256 KB) holds: a thousand ids are about 40 KB.
        String huge = "{\"customerIds\": [\"" + ok + "\"], \"padding\": \"" + "x".repeat(300 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/segments/{id}/members/lookup", istanbul()).then().statusCode(413);
    }

    @Test
    void isInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/segments/{id}/members/lookup")).body(containsString("application/x-ndjson"));
    }

    private static List<JsonNode> lookup(String segmentId, List<String> customerIds) {
        ObjectNode body = JSON.createObjectNode();
        customerIds.forEach(body.putArray("customerIds")::add);
        String answer = given().contentType(ContentType.JSON).accept(NDJSON).body(body.toString()).post("/segments/{id}/members/lookup", segmentId)
                .then().statusCode(200).contentType(containsString(NDJSON)).extract().asString();
        assertThat(answer).endsWith("\n");
        return answer.lines().map(MemberLookupTest::read).toList();
    }

    private static ValidatableResponse invalid(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/segments/{id}/members/lookup", istanbul())
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static List<String> fieldNames(JsonNode line) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> each = line.fieldNames(); each.hasNext();) {
            names.add(each.next());
        }
        return names;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
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
