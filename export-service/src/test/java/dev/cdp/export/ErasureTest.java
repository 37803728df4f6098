package dev.cdp.export;

import static dev.cdp.testing.Api.as;
import static dev.cdp.testing.Api.asService;
import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cdp.export.SegmentServiceStub.StubSegment;
import dev.cdp.export.file.CsvReader;
import dev.cdp.export.stub.PlatformStubs;
import dev.cdp.export.stub.PlatformStubsResource;
import dev.cdp.testing.TestDatabase;
import dev.cdp.testing.Traces;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasures in export-service, as profile-service hands them over once the customer is gone from the profile (so
 * segment-service, played here by its stub, no longer knows them): their rows leave every kept file, and every synced
 * audience that holds them gets their removal, in any mode.
 */
@QuarkusTest
class ErasureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PlatformStubs stubs;

    @BeforeEach
    void resetStubs() {
        stubs = PlatformStubsResource.stubs;
        stubs.reset();
    }

    @Test
    void takesTheCustomerOutOfKeptFilesAndEverySyncedAudience() throws Exception {
        UUID erased = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        String erasedEmail = "gul.silinir." + erased.toString().substring(0, 8) + "@example.com";
        String keptEmail = "kalir." + kept.toString().substring(0, 8) + "@example.com";
        String phone = "90532" + (1_000_000 + (int) (Math.random() * 8_999_999)); // not another test's number
        String erasedLine = member(erased, erasedEmail, "+" + phone);
        String keptLine = member(kept, keptEmail, null);
        UUID segment = UUID.randomUUID();
        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("Erasure test", 3, true, List.of(erasedLine, keptLine)));

        String export = given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + segment + "\", \"platform\": \"META\"}")
                .post("/exports").then().statusCode(202).extract().path("id");
        await().atMost(TIMEOUT).until(() -> "SUCCEEDED".equals(given().get("/exports/{id}", export).path("status")));
        assertThat(fileEmails(download(export))).containsExactlyInAnyOrder(sha(erasedEmail), sha(keptEmail));

        // Meta refuses their phone: the run keeps the platform's example of the refused row, naming them.
        stubs.refuseValues(List.of(sha(phone)));
        String mirror = sync(segment, destination("META", "{\"adAccountId\": \"act_2001\"}"), "{\"mode\": \"MIRROR\"}");
        String addOnly = sync(segment, destination("TIKTOK", "{\"advertiserId\": \"7000000002\"}"),
                "{\"mode\": \"ADD_ONLY\", \"trigger\": \"INTERVAL\", \"intervalMinutes\": 600}");
        String metaAudience = await().atMost(TIMEOUT).until(() -> given().get("/syncs/{id}", mirror).path("platformAudienceId"),
                audience -> audience != null && stubs.meta().audienceMembers((String) audience).size() == 1);
        String tiktokAudience = await().atMost(TIMEOUT).until(() -> given().get("/syncs/{id}", addOnly).path("platformAudienceId"),
                audience -> audience != null && stubs.tiktok().audienceMembers((String) audience).size() == 2);
        awaitIdle(mirror);
        awaitIdle(addOnly);
        assertThat(given().get("/syncs/{id}/runs", mirror).<String>path("[-1].invalidSamples[0]")).startsWith("customer " + erased + ": ");

        // profile-service erased them: segment-service no longer knows them.
        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("Erasure test", 3, true, List.of(keptLine)));
        String erasure = UUID.randomUUID().toString();
        String body = "{\"customerIds\": [\"" + erased + "\"]}";
        as("admin").contentType(ContentType.JSON).body(body).put("/privacy/erasures/{id}", erasure).then().statusCode(403)
                .body("detail", containsString("service"));
        asService().contentType(ContentType.JSON).body("{\"customerIds\": []}").put("/privacy/erasures/{id}", erasure).then()
                .statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("customerIds"));
        asService().contentType(ContentType.JSON).body(body).put("/privacy/erasures/{id}", erasure).then().statusCode(200)
                .body("status", equalTo("ERASING")).body("audiences.heldAtStart", equalTo(2));

        await().atMost(TIMEOUT).untilAsserted(() -> asService().get("/privacy/erasures/{id}", erasure).then().statusCode(200)
                .body("status", equalTo("COMPLETED")));
        as("admin").get("/privacy/erasures/{id}", erasure).then().statusCode(200).body("files.done", equalTo(true))
                .body("files.counts.scrubbed", equalTo(1)).body("files.counts.rowsRemoved", equalTo(1))
                .body("audiences.stillHeld", equalTo(0)).body("waitingFor", equalTo(null));
        // Asked again (a retry of profile-service), it only answers.
        asService().contentType(ContentType.JSON).body(body).put("/privacy/erasures/{id}", erasure).then().statusCode(200)
                .body("status", equalTo("COMPLETED"));

        assertThat(fileEmails(download(export))).containsExactly(sha(keptEmail));
        given().get("/exports/{id}", export).then().body("progress.rowsWritten", equalTo(1)).body("file.rowsErased", equalTo(1));
        assertThat(Files.size(directory().resolve(export + ".owners"))).as("one owner for the one row left").isEqualTo(16);
        assertThat(emails(stubs.meta().removedRows(metaAudience))).containsExactly(sha(erasedEmail));
        assertThat(emails(stubs.meta().audienceMembers(metaAudience))).containsExactly(sha(keptEmail));
        assertThat(given().get("/syncs/{id}/runs", mirror).<java.util.List<String>>path("[-1].invalidSamples")).as("the refused row's example is gone")
                .isEmpty();
        assertThat(emails(stubs.tiktok().removedRows(tiktokAudience))).as("removed even from an add-only audience").hasSize(1);
        assertThat(stubs.tiktok().audienceMembers(tiktokAudience)).hasSize(1);

        List<String> needles = List.of(erased.toString(), erasedEmail, sha(erasedEmail), sha(phone), sha("+" + phone));
        assertThat(tablesHolding(needles)).as("tables of export-service that still hold the erased customer").isEmpty();
        assertThat(Traces.filesHolding(directory(), needles)).as("export files that still hold the erased customer").isEmpty();
    }

    @Test
    void aDisabledSyncHoldsTheErasureUntilItCanSendTheRemoval() {
        UUID erased = UUID.randomUUID();
        UUID segment = UUID.randomUUID();
        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("Paused audience", 3, true, List.of(member(erased, "bekler@example.com", null))));
        String sync = sync(segment, destination("META", "{\"adAccountId\": \"act_2002\"}"), "{}");
        String audience = await().atMost(TIMEOUT).until(() -> given().get("/syncs/{id}", sync).path("platformAudienceId"),
                id -> id != null && stubs.meta().audienceMembers((String) id).size() == 1);
        awaitIdle(sync);
        given().contentType(ContentType.JSON).body("{\"enabled\": false}").patch("/syncs/{id}", sync).then().statusCode(200);
        SegmentServiceStub.SEGMENTS.put(segment, new StubSegment("Paused audience", 3, true, List.of()));

        String erasure = UUID.randomUUID().toString();
        asService().contentType(ContentType.JSON).body("{\"customerIds\": [\"" + erased + "\"]}").put("/privacy/erasures/{id}", erasure)
                .then().statusCode(200);
        await().atMost(TIMEOUT).untilAsserted(() -> as("admin").get("/privacy/erasures/{id}", erasure).then()
                .body("status", equalTo("ERASING")).body("waitingFor", containsString("is disabled: enable it to send the removal")));

        given().contentType(ContentType.JSON).body("{\"enabled\": true}").patch("/syncs/{id}", sync).then().statusCode(200);
        await().atMost(TIMEOUT).untilAsserted(() -> as("admin").get("/privacy/erasures/{id}", erasure).then()
                .body("status", equalTo("COMPLETED")));
        assertThat(stubs.meta().audienceMembers(audience)).isEmpty();
    }

    private static String member(UUID id, String email, String phone) {
        return "{\"customerId\": \"" + id + "\", \"email\": \"" + email + "\", \"phone\": " + (phone == null ? "null" : "\"" + phone + "\"")
                + ", \"firstName\": \"Gül\", \"lastName\": null, \"birthDate\": null, \"gender\": null, \"city\": null, \"state\": null, "
                + "\"postalCode\": null, \"countryCode\": \"TR\", \"consentAdvertising\": true, \"consentEmail\": true, \"consentSms\": false, "
                + "\"userIds\": []}";
    }

    private static String destination(String kind, String settings) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + kind + " " + UUID.randomUUID() + "\", \"kind\": \"" + kind + "\", "
                + "\"settings\": " + settings + ", \"credentials\": {\"accessToken\": \"token\"}}").post("/destinations").then().statusCode(201)
                .extract().path("id");
    }

    private static String sync(UUID segment, String destination, String properties) {
        String body = properties.replaceFirst("\\{", "{\"segmentId\": \"" + segment + "\", \"destinationId\": \"" + destination + "\""
                + (properties.equals("{}") ? "" : ", "));
        return given().contentType(ContentType.JSON).body(body).post("/syncs").then().statusCode(201).extract().path("id");
    }

    private static void awaitIdle(String sync) {
        await().atMost(TIMEOUT).until(() -> given().get("/syncs/{id}/runs?limit=500", sync).jsonPath().getList("status", String.class)
                .stream().noneMatch(status -> status.equals("QUEUED") || status.equals("RUNNING")));
    }

    private static List<List<String>> download(String id) {
        return CsvReader.parse(new String(given().get("/exports/{id}/file", id).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8));
    }

    /** The email column of each data row. */
    private static List<String> emails(java.util.Collection<List<String>> rows) {
        List<String> emails = new ArrayList<>();
        rows.forEach(row -> emails.add(row.get(0)));
        return emails;
    }

    /** The email column of each data row of a downloaded file (after its header). */
    private static List<String> fileEmails(List<List<String>> file) {
        return emails(file.subList(1, file.size()));
    }

    private static String sha(String text) {
        return DigestUtils.sha256Hex(text);
    }

    private static Path directory() {
        return ConfigProvider.getConfig().getValue("cdp.export.directory", Path.class);
    }

    /** The tables of export-service that hold one of the needles. */
    private static List<String> tablesHolding(List<String> needles) throws Exception {
        try (Connection db = TestDatabase.admin()) {
            return Traces.tablesHolding(db, List.of("export"), needles, List.of());
        }
    }
}
