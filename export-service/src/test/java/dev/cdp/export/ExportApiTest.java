package dev.cdp.export;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import dev.cdp.export.SegmentServiceStub.StubSegment;
import dev.cdp.export.file.CsvReader;
import dev.cdp.export.platform.Normalization;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Export jobs over HTTP, from the request to the downloaded file, with segment-service's members stream played by
 * {@link SegmentServiceStub}: consent filtering, skips and coverage, the three file formats, failures that leave no
 * file, jobs that lose their runner, and retention.
 */
@QuarkusTest
class ExportApiTest {

    private static final String AYSE = "{\"customerId\": \"00000000-0000-0000-0000-00000000000a\", \"email\": \" Ayse.Yilmaz@Example.COM \", "
            + "\"phone\": \"0532 123 45 67\", \"firstName\": \"Ayşe\", \"lastName\": \"Yılmaz\", \"birthDate\": \"1990-04-12\", \"gender\": \"female\", "
            + "\"city\": \"İstanbul\", \"state\": null, \"postalCode\": \"34710\", \"countryCode\": \"TR\", \"consentAdvertising\": true, "
            + "\"consentEmail\": true, \"consentSms\": false, \"userIds\": [\"u-1\"]}";
    private static final String MEHMET_PHONE_ONLY = "{\"customerId\": \"00000000-0000-0000-0000-00000000000b\", \"phone\": \"+90 (505) 111 22 33\", "
            + "\"countryCode\": \"TR\", \"consentAdvertising\": true, \"consentEmail\": false, \"consentSms\": true, \"userIds\": []}";
    private static final String NO_CONSENT = "{\"customerId\": \"00000000-0000-0000-0000-00000000000c\", \"email\": \"hidden@example.com\", "
            + "\"countryCode\": \"TR\", \"consentAdvertising\": false, \"consentEmail\": true, \"consentSms\": true, \"userIds\": []}";
    private static final String INVALID_PHONE_ONLY = "{\"customerId\": \"00000000-0000-0000-0000-00000000000d\", \"phone\": \"12\", "
            + "\"city\": \"Ankara\", \"countryCode\": \"TR\", \"consentAdvertising\": true, \"consentEmail\": false, \"consentSms\": false, \"userIds\": []}";

    @Test
    void exportsTheConsentingMembersOfASegmentToAMetaFile() {
        UUID segment = segment("İstanbul fuel regulars", true, AYSE, MEHMET_PHONE_ONLY, NO_CONSENT, INVALID_PHONE_ONLY);
        Response accepted = given().contentType(ContentType.JSON)
                .body("{\"segmentId\": \"" + segment + "\", \"platform\": \"META\", \"delivery\": \"FILE\", \"requestedBy\": \"marketing@example.com\"}")
                .post("/exports");
        accepted.then().statusCode(202).header("Location", endsWith("/exports/" + accepted.path("id")))
                .body("segmentId", equalTo(segment.toString())).body("segmentName", equalTo("İstanbul fuel regulars"))
                .body("segmentVersion", equalTo(3)).body("platform", equalTo("META")).body("delivery", equalTo("FILE"))
                .body("requestedBy", equalTo("marketing@example.com")).body("normalizerVersion", equalTo(Normalization.NORMALIZER_VERSION));
        String id = accepted.path("id");

        Response job = finished(id);
        job.then().body("status", equalTo("SUCCEEDED"))
                .body("progress.rowsRead", equalTo(4)).body("progress.rowsWritten", equalTo(2))
                .body("progress.skippedNoConsent", equalTo(1)).body("progress.skippedNoIdentifier", equalTo(1))
                .body("progress.invalidPhones", equalTo(1))
                .body("progress.coverage.EMAIL", equalTo(1)).body("progress.coverage.PHONE", equalTo(2))
                .body("file.name", startsWith("meta-istanbul-fuel-regulars-")).body("file.download", equalTo("/exports/" + id + "/file"))
                .body("consent.channel", equalTo("advertising")).body("consent.asOf", equalTo(job.path("startedAt")));

        Response file = given().get("/exports/{id}/file", id);
        file.then().statusCode(200).contentType("text/csv").header("Content-Disposition", equalTo("attachment; filename=\"" + job.path("file.name") + "\""));
        List<List<String>> rows = CsvReader.parse(new String(file.asByteArray(), StandardCharsets.UTF_8));
        assertThat(rows.get(0)).containsExactly("email", "phone", "fn", "ln", "zip", "ct", "st", "country", "doby", "gen");
        assertThat(rows).hasSize(3);
        List<String> ayse = rows.get(1);
        assertThat(ayse.get(0)).isEqualTo(DigestUtils.sha256Hex("ayse.yilmaz@example.com"));
        assertThat(ayse.get(1)).isEqualTo(DigestUtils.sha256Hex("905321234567"));
        assertThat(ayse.get(2)).isEqualTo(DigestUtils.sha256Hex("ayse"));
        assertThat(ayse.get(3)).isEqualTo(DigestUtils.sha256Hex("yilmaz"));
        assertThat(ayse.get(5)).isEqualTo(DigestUtils.sha256Hex("istanbul"));
        assertThat(ayse.get(7)).isEqualTo(DigestUtils.sha256Hex("tr"));
        assertThat(rows.get(2).get(0)).as("no email: an empty cell, never the hash of nothing").isEmpty();
        assertThat(rows.get(2).get(1)).isEqualTo(DigestUtils.sha256Hex("905051112233"));
        assertThat(String.join(",", rows.stream().flatMap(List::stream).toList())).doesNotContain("hidden");
    }

    @Test
    void writesEachPlatformsOwnFormat() {
        UUID segment = segment("Two", true, AYSE, MEHMET_PHONE_ONLY);
        List<List<String>> google = download(finished(start(segment, "google")).path("id"));
        assertThat(google.get(0)).containsExactly("Email", "Phone", "First Name", "Last Name", "Country", "Zip");
        assertThat(google.get(1)).containsExactly(DigestUtils.sha256Hex("ayse.yilmaz@example.com"), DigestUtils.sha256Hex("+905321234567"),
                DigestUtils.sha256Hex("ayşe"), DigestUtils.sha256Hex("yılmaz"), "TR", "34710");
        List<List<String>> tiktok = download(finished(start(segment, "TIKTOK")).path("id"));
        assertThat(tiktok.get(0)).containsExactly("Email_SHA256", "Email_SHA256", "Phone_SHA256", "Phone_SHA256");
        assertThat(tiktok.get(2)).containsExactly("", "", DigestUtils.sha256Hex("905051112233"), DigestUtils.sha256Hex("+905051112233"));
    }

    @Test
    void namesEveryInvalidFieldOfARequest() {
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"nope\", \"platform\": \"MYSPACE\", \"delivery\": \"EMAIL\", \"extra\": 1}")
                .post("/exports").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("/segmentId", "/platform", "/delivery", "/extra"));
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + UUID.randomUUID() + "\", \"platform\": \"META\", \"delivery\": \"API\"}")
                .post("/exports").then().statusCode(400).body("violations[0].field", equalTo("/delivery"))
                .body("violations[0].detail", startsWith("API delivery is a sync"));
        given().contentType(ContentType.JSON).body("{\"platform\": \"META\", \"requestedBy\": \"\"}").post("/exports").then().statusCode(400)
                .body("violations.field", hasItems("/segmentId", "/requestedBy"));
        given().contentType(ContentType.JSON).body("[]").post("/exports").then().statusCode(400);
        // PostgreSQL text cannot hold U+0000 nor half a surrogate pair: named, never a failed insert
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + UUID.randomUUID() + "\", \"platform\": \"META\", \"requestedBy\": \"a\\u0000b\"}")
                .post("/exports").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("/requestedBy"))
                .body("violations[0].detail", startsWith("holds a character that cannot be stored"));
    }

    @Test
    void refusesUnknownAndUnevaluatedSegmentsAndUnknownJobs() {
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + UUID.randomUUID() + "\", \"platform\": \"META\"}")
                .post("/exports").then().statusCode(404).contentType("application/problem+json");
        UUID never = segment("Never evaluated", false);
        given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + never + "\", \"platform\": \"META\"}")
                .post("/exports").then().statusCode(409).body("type", endsWith("segment-not-evaluated"));
        given().get("/exports/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/exports/not-a-uuid").then().statusCode(400).body("violations[0].field", equalTo("id"));
        given().get("/exports?status=DONE").then().statusCode(400).body("violations[0].field", equalTo("status"));
    }

    @Test
    void aBrokenMembersStreamFailsTheJobAndLeavesNoFile() throws Exception {
        UUID segment = segment("Broken", true, AYSE, "{\"customerId\": \"00000000-0000-0000-0000-00000000000e\", \"email\": \"secret@example.com\", \"birthDate\": 12x");
        String id = start(segment, "META");
        finished(id).then().body("status", equalTo("FAILED")).body("progress.rowsRead", equalTo(1))
                .body("error", startsWith("the members stream from segment-service broke or did not parse"))
                .body("error", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("secret")));
        given().get("/exports/{id}/file", id).then().statusCode(409).contentType("application/problem+json");
        try (Stream<Path> files = Files.list(directory())) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(id));
        }
    }

    @Test
    void aJobWhoseRunnerStoppedEndsAsFailed() throws Exception {
        UUID id = UUID.randomUUID();
        Path partial = Files.writeString(directory().resolve(id + ".csv.part"), "email,phone\r\n"); // as a runner leaves it
        try (Connection db = TestDatabase.admin(); PreparedStatement insert = db.prepareStatement("""
                INSERT INTO export.jobs (id, segment_id, segment_name, segment_version, platform, delivery, status, requested_by,
                                         normalizer_version, started_at, heartbeat_at, rows_read)
                VALUES (?, gen_random_uuid(), 'Interrupted', 1, 'META', 'FILE', 'RUNNING', 'test', 'v', now() - interval '10 minutes',
                        now() - interval '10 minutes', 500)""")) {
            insert.setObject(1, id);
            insert.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/exports/{id}", id).then()
                .body("status", equalTo("FAILED")).body("error", startsWith("interrupted")).body("progress.rowsRead", equalTo(500)));
        assertThat(partial).as("half a file is not kept").doesNotExist();
    }

    @Test
    void deletesFilesWhenTheirRetentionEnds() throws Exception {
        UUID segment = segment("Kept briefly", true, AYSE);
        String id = start(segment, "META");
        finished(id).then().body("status", equalTo("SUCCEEDED")).body("file.deleted", equalTo(false));
        Path file = directory().resolve(id + ".csv");
        assertThat(file).exists();
        try (Connection db = TestDatabase.admin(); PreparedStatement expire = db.prepareStatement(
                "UPDATE export.jobs SET expires_at = now() - interval '1 second' WHERE id = ?")) {
            expire.setObject(1, UUID.fromString(id));
            expire.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/exports/{id}", id).then().body("file.deleted", equalTo(true)));
        assertThat(file).doesNotExist();
        given().get("/exports/{id}/file", id).then().statusCode(410).contentType("application/problem+json");
    }

    @Test
    void listsJobsNewestFirstBySegmentAndStatus() {
        UUID segment = segment("Listed", true, AYSE);
        String first = start(segment, "META");
        finished(first);
        String second = start(segment, "GOOGLE");
        finished(second);
        given().get("/exports?segmentId={segment}", segment).then().statusCode(200).body("items.id", equalTo(List.of(second, first)));
        Response page = given().get("/exports?segmentId={segment}&limit=1", segment);
        page.then().body("items.id", equalTo(List.of(second))).body("next", equalTo(second));
        given().get("/exports?segmentId={segment}&limit=1&cursor={cursor}", segment, second).then().body("items.id", equalTo(List.of(first)));
        given().get("/exports?segmentId={segment}&status=failed", segment).then().body("items", org.hamcrest.Matchers.empty());
    }

    private static UUID segment(String name, boolean evaluated, String... members) {
        UUID id = UUID.randomUUID();
        SegmentServiceStub.SEGMENTS.put(id, new StubSegment(name, 3, evaluated, List.of(members)));
        return id;
    }

    private static String start(UUID segment, String platform) {
        return given().contentType(ContentType.JSON).body("{\"segmentId\": \"" + segment + "\", \"platform\": \"" + platform + "\"}")
                .post("/exports").then().statusCode(202).extract().path("id");
    }

    private static Response finished(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("SUCCEEDED", "FAILED").contains(given().get("/exports/{id}", id).path("status")));
        return given().get("/exports/{id}", id);
    }

    private static List<List<String>> download(String id) {
        return CsvReader.parse(new String(given().get("/exports/{id}/file", id).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8));
    }

    private static Path directory() {
        return ConfigProvider.getConfig().getValue("cdp.export.directory", Path.class);
    }
}
