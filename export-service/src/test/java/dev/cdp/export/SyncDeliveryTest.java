package dev.cdp.export;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.Topics;
import dev.cdp.export.SegmentServiceStub.StubSegment;
import dev.cdp.export.stub.PlatformStubs;
import dev.cdp.export.stub.PlatformStubsResource;
import dev.cdp.export.sync.LedgerCells;
import dev.cdp.testing.KafkaTestClient;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Syncs delivering audiences to the platforms' APIs, played by WireMock stubs that answer as the real APIs do:
 * full uploads across batch boundaries, incremental runs fed by real membership and profile messages on Kafka,
 * consent, rate limits, server errors, refused credentials, refused rows, a destination that is down, and batches a
 * crash left in flight.
 */
@QuarkusTest
class SyncDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private PlatformStubs stubs;

    @BeforeEach
    void resetStubs() {
        stubs = PlatformStubsResource.stubs;
        stubs.reset();
    }

    @Test
    void theFirstRunReplacesAMetaAudienceInBatchesOfTenThousand() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 25_001; i++) {
            members.add(member(id(i), "customer" + i + "@example.com", null, true));
        }
        members.add(member(id(30_000), "no-consent@example.com", null, false));
        members.add(member(id(30_001), null, "12", true)); // an invalid phone and nothing else: no usable identifier
        UUID segment = segment("Fuel regulars", members);
        String destination = destination("META", "{\"adAccountId\": \"act_1001\"}", "{\"accessToken\": \"token\"}");

        String sync = createSync(segment, destination, "{\"mode\": \"MIRROR\", \"trigger\": \"ON_CHANGE\"}").path("id");
        Response run = awaitRun(sync, 1);

        run.then().body("kind", equalTo("FULL")).body("trigger", equalTo("CREATED")).body("status", equalTo("SUCCEEDED"))
                .body("membersRead", equalTo(25_003)).body("rowsAdded", equalTo(25_001)).body("rowsRemoved", equalTo(0))
                .body("skippedNoConsent", equalTo(1)).body("skippedNoIdentifier", equalTo(1)).body("platformReceived", equalTo(25_001))
                .body("platformInvalid", equalTo(0)).body("coverage.EMAIL", equalTo(25_001)).body("batchesSent", equalTo(3))
                .body("consent.channel", equalTo("advertising")).body("consent.asOf", equalTo(run.path("startedAt")));
        String audience = given().get("/syncs/{id}", sync).path("platformAudienceId");
        assertThat(stubs.meta().audiences()).anySatisfy(created -> {
            assertThat(created.id()).isEqualTo(audience);
            assertThat(created.name()).isEqualTo("Fuel regulars");
        });
        assertThat(stubs.meta().audienceMembers(audience)).hasSize(25_001);
        assertThat(stubs.meta().addedRows(audience)).hasSize(25_001);

        List<JsonNode> sessions = new ArrayList<>();
        for (LoggedRequest request : stubs.server().findAll(postRequestedFor(urlPathMatching("/meta/v\\d+\\.0/" + audience + "/usersreplace")))) {
            sessions.add(JSON.readTree(request.getBodyAsString()));
        }
        assertThat(sessions).extracting(body -> body.path("payload").path("data").size()).containsExactly(10_000, 10_000, 5_001);
        assertThat(sessions).extracting(body -> body.path("session").path("batch_seq").asInt()).containsExactly(1, 2, 3);
        assertThat(sessions).extracting(body -> body.path("session").path("last_batch_flag").asBoolean()).containsExactly(false, false, true);
        assertThat(sessions.stream().map(body -> body.path("session").path("session_id").asLong()).distinct()).hasSize(1);
        assertThat(sessions.get(0).path("payload").path("schema").toString())
                .isEqualTo("[\"EMAIL\",\"PHONE\",\"FN\",\"LN\",\"ZIP\",\"CT\",\"ST\",\"COUNTRY\",\"DOBY\",\"GEN\"]");
        assertThat(sessions.get(0).path("payload").path("data").get(0).get(0).asText()).isEqualTo(DigestUtils.sha256Hex("customer0@example.com"));
    }

    @Test
    void laterRunsSendOnlyWhoEnteredLeftOrWithdrewConsent() {
        String ayse = member(id(1), "ayse@example.com", "+905321112233", true);
        String burak = member(id(2), "burak@example.com", null, true);
        String cem = member(id(3), "cem@example.com", null, true);
        UUID segment = segment("Weekend shoppers", List.of(ayse, burak, cem));
        String destination = destination("META", "{\"adAccountId\": \"1002\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{}").path("id");
        awaitRun(sync, 1).then().body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(3));
        String audience = given().get("/syncs/{id}", sync).path("platformAudienceId");

        // Ayşe leaves, Deniz enters, Burak stays but withdraws advertising consent: as segment-service and
        // profile-service announce it on Kafka.
        String deniz = member(id(4), "deniz@example.com", null, true);
        String burakWithdrawn = member(id(2), "burak@example.com", null, false);
        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("Weekend shoppers", 3, true, List.of(burakWithdrawn, cem, deniz)));
        // A record that is no such change, ahead of them in their partitions: dead-lettered, and the rest still apply.
        String notAMembership = "{\"segmentId\": \"" + segment + "\", \"customerId\": 4711, \"change\": \"ENTERED\"}";
        String notAProfileChange = "{\"customerId\": \"" + id(2) + "\", \"changes\": \"consent\", \"note\": \"" + UUID.randomUUID() + "\"}";
        KafkaTestClient.send(Topics.SEGMENTS_MEMBERSHIP, id(1).toString(), notAMembership);
        KafkaTestClient.send(Topics.PROFILES_CHANGED, id(2).toString(), notAProfileChange);
        membershipChanged(segment, id(1), "EXITED");
        membershipChanged(segment, id(4), "ENTERED");
        profileChanged(id(2), "consent");
        assertThat(KafkaTestClient.awaitDeadLetter(Topics.SEGMENTS_MEMBERSHIP, notAMembership)).startsWith("export-service: not a MembershipChanged");
        assertThat(KafkaTestClient.awaitDeadLetter(Topics.PROFILES_CHANGED, notAProfileChange)).startsWith("export-service: not a ProfileChanged");

        // The changes arrive one by one: one incremental run or several, each sending only what changed.
        await().atMost(RUN_TIMEOUT).untilAsserted(() -> assertThat(emails(stubs.meta().audienceMembers(audience)))
                .containsExactlyInAnyOrder(sha("cem@example.com"), sha("deniz@example.com")));
        List<Map<String, Object>> later = laterRuns(sync);
        assertThat(later).allSatisfy(run -> {
            assertThat(run).containsEntry("kind", "INCREMENTAL").containsEntry("trigger", "ON_CHANGE").containsEntry("status", "SUCCEEDED");
        });
        assertThat(total(later, "rowsAdded")).isEqualTo(1);
        assertThat(total(later, "rowsRemoved")).isEqualTo(2);
        assertThat(emails(stubs.meta().removedRows(audience))).containsExactlyInAnyOrder(sha("ayse@example.com"), sha("burak@example.com"));
        // Removals carry exactly the hashes the adds did (the phone too), and nothing was added twice.
        assertThat(stubs.meta().removedRows(audience)).allSatisfy(row -> assertThat(stubs.meta().addedRows(audience)).contains(row));
        List<List<String>> added = stubs.meta().addedRows(audience);
        assertThat(added).doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void addOnlyKeepsWhoLeftButRemovesWhoWithdrewConsent() {
        UUID segment = segment("App users", List.of(member(id(11), "ece@example.com", "+905051112233", true),
                member(id(12), "filiz@example.com", null, true)));
        String destination = destination("TIKTOK", "{\"advertiserId\": \"7000000001\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{\"mode\": \"ADD_ONLY\"}").path("id");
        awaitRun(sync, 1).then().body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(2));
        String audience = given().get("/syncs/{id}", sync).path("platformAudienceId");
        assertThat(stubs.tiktok().addedRows(audience)).contains(List.of(sha("ece@example.com"), sha("905051112233")));

        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("App users", 3, true, List.of()));
        SegmentServiceStub.CUSTOMERS.put(id(11), member(id(11), "ece@example.com", "+905051112233", true));
        SegmentServiceStub.CUSTOMERS.put(id(12), member(id(12), "filiz@example.com", null, false));
        membershipChanged(segment, id(11), "EXITED");
        membershipChanged(segment, id(12), "EXITED");
        await().atMost(RUN_TIMEOUT).untilAsserted(() -> assertThat(stubs.tiktok().removedRows(audience))
                .containsExactly(List.of(sha("filiz@example.com"), "")));
        assertThat(total(laterRuns(sync), "rowsRemoved")).isEqualTo(1);
        assertThat(total(laterRuns(sync), "rowsAdded")).isZero();
        assertThat(stubs.tiktok().audienceMembers(audience)).hasSize(1);
    }

    @Test
    void waitsOutRateLimitsAndRetriesServerErrors() {
        UUID segment = segment("Car wash", List.of(member(id(21), "gul@example.com", null, true)));
        String destination = destination("META", "{\"adAccountId\": \"1003\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{\"trigger\": \"MANUAL\"}").path("id");
        stubs.meta().tooManyRequestsNext(1, 1);
        stubs.meta().throttleNext(1, 0, 400);
        stubs.meta().serverErrorNext(1);
        stubs.meta().badGatewayHtmlNext(1);

        given().post("/syncs/{id}/runs", sync).then().statusCode(202).body("kind", equalTo("FULL")).body("trigger", equalTo("MANUAL"));
        Response run = awaitRun(sync, 1);
        run.then().body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(1));
        List<String> outcomes = given().get("/syncs/{id}/runs/{run}/calls", sync, run.path("id")).jsonPath().getList("outcome");
        // The stub fires its faults in turn on the first call (creating the audience); the replace then goes through.
        assertThat(outcomes.subList(0, 4)).containsExactlyInAnyOrder("THROTTLED", "THROTTLED", "RETRY", "RETRY");
        assertThat(outcomes.subList(4, outcomes.size())).containsExactly("OK", "OK");
        given().get("/syncs/{id}/runs/{run}/calls", sync, run.path("id")).then().body("httpStatus", hasItem(429)).body("platformCode", hasItem("80003"));
    }

    @Test
    void refusedCredentialsStopTheDestinationWithoutRetries() {
        UUID segment = segment("Lapsed", List.of(member(id(31), "hakan@example.com", null, true)));
        String destination = destination("META", "{\"adAccountId\": \"1004\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{\"trigger\": \"MANUAL\"}").path("id");
        stubs.meta().expiredTokenNext(10);

        given().post("/syncs/{id}/runs", sync).then().statusCode(202);
        Response failed = awaitRun(sync, 1);
        failed.then().body("status", equalTo("FAILED"));
        assertThat((String) failed.path("error")).contains("refused the destination's credentials");
        assertThat(given().get("/syncs/{id}/runs/{run}/calls", sync, failed.path("id")).jsonPath().getList("outcome")).containsExactly("AUTH_REFUSED");
        given().get("/destinations/{id}", destination).then().body("status", equalTo("NEEDS_ATTENTION"));

        given().post("/syncs/{id}/runs", sync).then().statusCode(202);
        Response waiting = awaitRun(sync, 2);
        assertThat((String) waiting.path("error")).contains("needs attention");
        assertThat(given().get("/syncs/{id}/runs/{run}/calls", sync, waiting.path("id")).jsonPath().getList("outcome")).isEmpty();

        given().contentType(ContentType.JSON).body("{\"credentials\": {\"accessToken\": \"renewed\"}}").patch("/destinations/{id}", destination)
                .then().statusCode(200);
        stubs.reset();
        given().post("/syncs/{id}/runs", sync).then().statusCode(202);
        awaitRun(sync, 3).then().body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(1));
    }

    @Test
    void reportsRowsThePlatformsRefusedAndDeliversTheRest() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(member(id(40 + i), "refused" + i + "@example.com", null, true));
        }
        UUID segment = segment("Loyalty gold", members);
        stubs.refuseValues(List.of(sha("refused3@example.com")));

        String google = destination("GOOGLE", "{\"operatingAccountId\": \"1234567890\"}", "{\"accessToken\": \"token\"}");
        String googleSync = createSync(segment, google, "{\"platformAudienceId\": \"555001\"}").path("id");
        Response partial = awaitRun(googleSync, 1);
        partial.then().body("status", equalTo("PARTIAL")).body("rowsAdded", equalTo(4)).body("rowsFailed", equalTo(1));
        assertThat((String) partial.path("invalidSamples[0]")).contains("INVALID_SHA256_FORMAT").startsWith("customer " + id(43) + ": ")
                .doesNotContain(sha("refused3@example.com"));
        assertThat(stubs.google().members("555001")).hasSize(4);

        String meta = destination("META", "{\"adAccountId\": \"1005\"}", "{\"accessToken\": \"token\"}");
        String metaSync = createSync(segment, meta, "{}").path("id");
        Response counted = awaitRun(metaSync, 1);
        counted.then().body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(5)).body("platformReceived", equalTo(5))
                .body("platformInvalid", equalTo(1));
        assertThat((String) counted.path("invalidSamples[0]")).contains("could not be used").startsWith("customer " + id(43) + ": ")
                .doesNotContain(sha("refused3@example.com"));
    }

    @Test
    void aDestinationThatIsDownDoesNotHoldUpAnother() {
        UUID segment = segment("Both platforms", List.of(member(id(51), "ilker@example.com", "+905321234567", true)));
        stubs.down(PlatformStubs.Platform.TIKTOK);
        stubs.tiktok().delayNext(10, 1000);
        String tiktok = destination("TIKTOK", "{\"advertiserId\": \"7000000002\"}", "{\"accessToken\": \"token\"}");
        String meta = destination("META", "{\"adAccountId\": \"1006\"}", "{\"accessToken\": \"token\"}");
        String tiktokSync = createSync(segment, tiktok, "{}").path("id");
        String metaSync = createSync(segment, meta, "{}").path("id");

        Response metaRun = awaitRun(metaSync, 1);
        Response tiktokRun = awaitRun(tiktokSync, 1);
        metaRun.then().body("status", equalTo("SUCCEEDED"));
        tiktokRun.then().body("status", equalTo("FAILED"));
        assertThat(Instant.parse(metaRun.path("finishedAt"))).isBefore(Instant.parse(tiktokRun.path("finishedAt")));
        // Bounded: the configured attempts, then the run gives up and the customers wait for the next one.
        assertThat(given().get("/syncs/{id}/runs/{run}/calls", tiktokSync, tiktokRun.path("id")).jsonPath().getList("outcome"))
                .hasSize(5).containsOnly("RETRY");
        stubs.up(PlatformStubs.Platform.TIKTOK);
        given().post("/syncs/{id}/runs", tiktokSync).then().statusCode(202);
        awaitRun(tiktokSync, 2).then().body("kind", equalTo("FULL")).body("status", equalTo("SUCCEEDED")).body("rowsAdded", equalTo(1));
    }

    @Test
    void aCrashNeverSendsAnAddTwiceNorLosesARemoval() throws Exception {
        String jale = member(id(61), "jale@example.com", null, true);
        String kaan = member(id(62), "kaan@example.com", null, true);
        UUID segment = segment("Crash", List.of(jale, kaan));
        String destination = destination("META", "{\"adAccountId\": \"1007\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{\"trigger\": \"MANUAL\"}").path("id");
        given().post("/syncs/{id}/runs", sync).then().statusCode(202);
        awaitRun(sync, 1).then().body("status", equalTo("SUCCEEDED"));
        String audience = given().get("/syncs/{id}", sync).path("platformAudienceId");
        byte[] kaanRow; // as the ledger holds it

        // A run that crashed while two batches were at Meta, an add of Leyla (which Meta took) and a removal of Kaan,
        // and a third, an add of Mert, was recorded ahead and never left.
        String[] leyla = new String[10];
        leyla[0] = sha("leyla@example.com");
        byte[] leylaRow = LedgerCells.pack(leyla);
        String[] mert = new String[10];
        mert[0] = sha("mert@example.com");
        try (Connection db = TestDatabase.admin()) {
            try (PreparedStatement select = db.prepareStatement("SELECT cells FROM export.sync_members WHERE sync_id = ?::uuid AND customer_id = ?::uuid")) {
                select.setString(1, sync);
                select.setString(2, id(62).toString());
                try (var row = select.executeQuery()) {
                    row.next();
                    kaanRow = row.getBytes(1);
                }
            }
            UUID crashed = UUID.randomUUID();
            try (PreparedStatement run = db.prepareStatement("INSERT INTO export.sync_runs (id, sync_id, kind, trigger, status, finished_at) "
                    + "VALUES (?::uuid, ?::uuid, 'INCREMENTAL', 'ON_CHANGE', 'FAILED', now())")) {
                run.setString(1, crashed.toString());
                run.setString(2, sync);
                run.executeUpdate();
            }
            try (PreparedStatement inflight = db.prepareStatement("INSERT INTO export.sync_inflight (run_id, batch, action, customer_ids, cells, sent) "
                    + "VALUES (?::uuid, ?, ?, ARRAY[?::uuid], ARRAY[?::bytea], ?)")) {
                inflight.setBoolean(6, true);
                inflight.setString(1, crashed.toString());
                inflight.setInt(2, 1);
                inflight.setString(3, "ADD");
                inflight.setString(4, id(63).toString());
                inflight.setBytes(5, leylaRow);
                inflight.executeUpdate();
                inflight.setInt(2, 2);
                inflight.setString(3, "REMOVE");
                inflight.setString(4, id(62).toString());
                inflight.setBytes(5, kaanRow);
                inflight.executeUpdate();
                inflight.setInt(2, 3);
                inflight.setString(3, "ADD");
                inflight.setString(4, id(64).toString());
                inflight.setBytes(5, LedgerCells.pack(mert));
                inflight.setBoolean(6, false);
                inflight.executeUpdate();
            }
        }
        int addsBefore = stubs.meta().addedRows(audience).size();

        given().post("/syncs/{id}/runs", sync).then().statusCode(202);
        awaitRun(sync, 3).then().body("status", equalTo("SUCCEEDED")).body("unconfirmedAdds", equalTo(1)).body("rowsRemoved", equalTo(1));
        assertThat(stubs.meta().addedRows(audience)).hasSize(addsBefore); // Leyla's add was not sent again
        assertThat(emails(stubs.meta().removedRows(audience))).containsExactly(sha("kaan@example.com"));
        try (Connection db = TestDatabase.admin();
                PreparedStatement left = db.prepareStatement("SELECT count(*) FROM export.sync_inflight i JOIN export.sync_runs r ON r.id = i.run_id "
                        + "WHERE r.sync_id = ?::uuid");
                PreparedStatement held = db.prepareStatement("SELECT customer_id FROM export.sync_members WHERE sync_id = ?::uuid ORDER BY 1")) {
            left.setString(1, sync);
            try (var row = left.executeQuery()) {
                row.next();
                assertThat(row.getInt(1)).isZero();
            }
            held.setString(1, sync);
            List<String> customers = new java.util.ArrayList<>();
            try (var rows = held.executeQuery()) {
                while (rows.next()) {
                    customers.add(rows.getString(1));
                }
            }
            // Jale stays, Leyla is taken as delivered, Kaan is removed, Mert's batch never left: the ledger does not hold him.
            assertThat(customers).containsExactlyInAnyOrder(id(61).toString(), id(63).toString());
        }
    }

    @Test
    void listsSyncsAllOrBySegmentOrDestination() {
        UUID segment = segment("Listing", List.of());
        String destination = destination("META", "{\"adAccountId\": \"1011\"}", "{\"accessToken\": \"token\"}");
        String sync = createSync(segment, destination, "{\"trigger\": \"MANUAL\"}").path("id");
        assertThat(given().get("/syncs").then().statusCode(200).extract().jsonPath().getList("id", String.class)).contains(sync);
        given().get("/syncs?segmentId={s}", segment).then().statusCode(200).body("id", org.hamcrest.Matchers.contains(sync));
        given().get("/syncs?segmentId={s}&destinationId={d}", segment, destination).then().statusCode(200).body("id", org.hamcrest.Matchers.contains(sync));
        given().get("/syncs?destinationId={d}", UUID.randomUUID()).then().statusCode(200).body("id", org.hamcrest.Matchers.empty());
    }

    @Test
    void refusesInvalidSyncs() {
        UUID segment = segment("Validation", List.of());
        String google = destination("GOOGLE", "{\"operatingAccountId\": \"1234567891\"}", "{\"accessToken\": \"token\"}");
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + segment + "\", \"destinationId\": \"" + google + "\", "
                + "\"identifiers\": [\"EMAIL\", \"BIRTH_YEAR\"], \"trigger\": \"INTERVAL\", \"mode\": \"SOMETIMES\"}").post("/syncs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.hasItems("/identifiers/1", "/intervalMinutes", "/mode", "/platformAudienceId"));
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + UUID.randomUUID() + "\", \"destinationId\": \"" + google + "\", "
                + "\"platformAudienceId\": \"1\"}").post("/syncs").then().statusCode(400).body("violations.field", hasItem("/segmentId"));
        String ok = createSync(segment, google, "{\"platformAudienceId\": \"555002\", \"trigger\": \"MANUAL\"}").path("id");
        createSync(segment, google, "{\"platformAudienceId\": \"555002\"}").then().statusCode(409);
        given().post("/syncs/{id}/runs?full=maybe", ok).then().statusCode(400);
        given().delete("/destinations/{id}", google).then().statusCode(409);
    }

    // --- helpers

    private static UUID id(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    private static String member(UUID id, String email, String phone, boolean consent) {
        return "{\"customerId\": \"" + id + "\", \"email\": " + quoted(email) + ", \"phone\": " + quoted(phone) + ", \"firstName\": null, "
                + "\"lastName\": null, \"birthDate\": null, \"gender\": null, \"city\": null, \"state\": null, \"postalCode\": null, "
                + "\"countryCode\": \"TR\", \"consentAdvertising\": " + consent + ", \"consentEmail\": true, \"consentSms\": false, \"userIds\": []}";
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    private static String sha(String text) {
        return DigestUtils.sha256Hex(text);
    }

    private static List<String> emails(java.util.Collection<List<String>> rows) {
        return rows.stream().map(row -> row.get(0)).collect(Collectors.toList());
    }

    private static UUID segment(String name, List<String> members) {
        UUID id = UUID.randomUUID();
        SegmentServiceStub.SEGMENTS.put(id, new StubSegment(name, 3, true, List.copyOf(members)));
        return id;
    }

    private static String destination(String kind, String settings, String credentials) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + kind + " " + UUID.randomUUID() + "\", \"kind\": \"" + kind + "\", "
                + "\"settings\": " + settings + ", \"credentials\": " + credentials + "}").post("/destinations").then().statusCode(201)
                .extract().path("id");
    }

    private static Response createSync(UUID segment, String destination, String properties) {
        ObjectMapper json = new ObjectMapper();
        try {
            com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(properties);
            body.put("segmentId", segment.toString()).put("destinationId", destination);
            return given().contentType(ContentType.JSON).body(body.toString()).post("/syncs");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The sync's run number {@code n} (the first is 1), once it finished. */
    private static Response awaitRun(String sync, int n) {
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response runs = given().get("/syncs/{id}/runs?limit=500", sync);
            List<Map<String, Object>> all = runs.jsonPath().getList("");
            if (all.size() < n) {
                return null;
            }
            Map<String, Object> run = all.get(all.size() - n);
            Object status = run.get("status");
            return "QUEUED".equals(status) || "RUNNING".equals(status) ? null : given().get("/syncs/{id}/runs/{run}", sync, run.get("id"));
        }, response -> response != null);
    }

    /** Every run after the first, once none is queued or running. */
    private static List<Map<String, Object>> laterRuns(String sync) {
        return await().atMost(RUN_TIMEOUT).until(() -> {
            List<Map<String, Object>> all = given().get("/syncs/{id}/runs?limit=500", sync).jsonPath().getList("");
            boolean active = all.stream().anyMatch(run -> "QUEUED".equals(run.get("status")) || "RUNNING".equals(run.get("status")));
            return active ? null : all.subList(0, all.size() - 1);
        }, runs -> runs != null);
    }

    private static long total(List<Map<String, Object>> runs, String counter) {
        return runs.stream().mapToLong(run -> ((Number) run.get(counter)).longValue()).sum();
    }

    private static void membershipChanged(UUID segment, UUID customer, String change) {
        KafkaTestClient.send(Topics.SEGMENTS_MEMBERSHIP, customer.toString(), "{\"messageId\": \"" + UUID.randomUUID() + "\", \"segmentId\": \""
                + segment + "\", \"customerId\": \"" + customer + "\", \"change\": \"" + change + "\", \"definitionVersion\": 3, "
                + "\"occurredAt\": \"" + Instant.now() + "\", \"schemaVersion\": 1}");
    }

    private static void profileChanged(UUID customer, String change) {
        KafkaTestClient.send(Topics.PROFILES_CHANGED, customer.toString(), "{\"messageId\": \"" + UUID.randomUUID() + "\", \"customerId\": \""
                + customer + "\", \"changes\": [\"" + change + "\"], \"mergedFrom\": [], \"occurredAt\": \"" + Instant.now() + "\", \"schemaVersion\": 1}");
    }
}
