package dev.cdp.smoke;

import static dev.cdp.smoke.AudienceSyncIT.next;
import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static dev.cdp.smoke.TrackingLibrariesIT.sendWithSegmentsJavaLibrary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.cdp.testing.Traces;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The right to erasure through the whole running suite: a customer sent by Segment's Java library is profiled, enters
 * a segment, is exported to a file and synced to a webhook; then an administrator erases them by email. The erasure
 * completes, the webhook receives their removal, no table of any service and no export file holds any of their
 * identifiers (in clear or hashed as the platforms hash them), and what the library sends about them afterwards is
 * dropped.
 */
@ExtendWith(LocalSuite.class)
class ErasureIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void anErasedCustomerLeavesNoTraceAndDoesNotComeBack() throws Exception {
        TrackingLibrariesIT.installTheLibraries(); // the webhook receiver's library
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tier = "erase-" + run;
        String userId = "erase-user-" + run;
        String email = "Gul.Silinir." + run + "@Example.com";
        String digits = "90532" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String phone = "+" + digits.substring(0, 2) + " " + digits.substring(2, 5) + " " + digits.substring(5);
        String keptUser = "erase-keep-" + run;

        sendWithSegmentsJavaLibrary(identify(userId, Map.of("email", email, "phone", phone, "firstName", "Gülsüm" + run, "segment", tier)),
                TrackMessage.builder("fuel_purchase_completed").userId(userId).properties(Map.of("amount", 950, "currency", "TRY")),
                identify(keptUser, Map.of("email", keptUser + "@example.com", "segment", tier)));
        String customerId = awaitCustomer(userId);
        awaitCustomer(keptUser);

        String segmentId = api(8083).contentType("application/json").body("""
                {"name": "%s", "definition": {"type": "profile", "field": "tier", "operator": "eq", "value": "%s"}}"""
                .formatted(tier, tier.toUpperCase(Locale.ROOT))).post("/segments").then().statusCode(201).extract().path("id");
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> api(8083).post("/segments/{id}/refresh", segmentId)
                .then().statusCode(200).extract().<Integer>path("size") == 2);
        String export = api(8084).contentType("application/json").body("{\"segmentId\": \"" + segmentId + "\", \"platform\": \"META\"}")
                .post("/exports").then().statusCode(202).extract().path("id");
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(api(8084).get("/exports/{id}", export).path("status")));
        assertThat(api(8084).get("/exports/{id}/file", export).asString()).contains(sha256(email.toLowerCase(Locale.ROOT)));

        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            String destination = api(8084).contentType("application/json").body("""
                    {"name": "Erasure CRM %s", "kind": "WEBHOOK", "settings": {"url": "http://127.0.0.1:%d/audiences"},
                     "credentials": {"signingSecret": "%s"}}""".formatted(run, receiver.port, receiver.secret))
                    .post("/destinations").then().statusCode(201).extract().path("id");
            api(8084).contentType("application/json").body("""
                    {"segmentId": "%s", "destinationId": "%s", "mode": "ADD_ONLY", "trigger": "ON_CHANGE"}""".formatted(segmentId, destination))
                    .post("/syncs").then().statusCode(201);
            JsonNode added = next(receiver.lines).path("payload");
            assertThat(added.path("type").asText()).isEqualTo("audience.members.added");
            assertThat(added.path("data").path("members").findValuesAsText("customerId")).contains(customerId);

            String erasure = api(8082).contentType("application/json").body(Map.of("email", email)).post("/privacy/erasures")
                    .then().statusCode(202).body("customers", equalTo(1)).extract().path("id");
            JsonNode removed = next(receiver.lines);
            assertThat(removed.path("verified").asBoolean()).isTrue();
            assertThat(removed.path("payload").path("type").asText()).isEqualTo("audience.members.removed");
            JsonNode member = removed.path("payload").path("data").path("members").get(0);
            assertThat(member.path("customerId").asText()).isEqualTo(customerId);
            assertThat(member.path("email").asText()).isEqualTo(sha256(email.toLowerCase(Locale.ROOT)));
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> api(8082).get("/privacy/erasures/{id}", erasure)
                    .then().statusCode(200).body("status", equalTo("COMPLETED")));
            api(8082).get("/privacy/erasures/{id}", erasure).then().body("step", equalTo("DONE"))
                    .body("progress.segments.membershipsLeft", equalTo(0))
                    .body("progress.exports.files.counts.rowsRemoved", equalTo(1))
                    .body("progress.exports.audiences.stillHeld", equalTo(0));
        }

        List<String> identifiers = List.of(userId, email, digits, digits.substring(2), "Gülsüm" + run,
                sha256(email.toLowerCase(Locale.ROOT)), sha256(digits));
        assertThat(tablesHolding(identifiers, List.of())).as("tables holding an identifier of the erased customer").isEmpty();
        // The audit log keeps the calls the erasure made, whose paths name the customer id (not who they were); the
        // "erased" change leaves the outbox once the relay sent it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tablesHolding(List.of(customerId), List.of("audit_log")))
                .as("tables holding the erased customer's id").isEmpty());
        assertThat(Traces.filesHolding(LocalSuite.HOME.resolve("exports"), identifiers)).as("export files holding an identifier of the erased customer").isEmpty();
        assertThat(api(8084).get("/exports/{id}/file", export).asString()).contains(sha256(keptUser + "@example.com"));
        api(8082).get("/profiles/{id}", customerId).then().statusCode(404);

        // What the library sends about them afterwards is dropped; others are stored as before.
        String laterUser = "erase-later-" + run;
        sendWithSegmentsJavaLibrary(TrackMessage.builder("app_open").userId(userId),
                identify("erase-new-" + run, Map.of("email", email)),
                identify(laterUser, Map.of("segment", tier)));
        awaitCustomer(laterUser);
        await().atMost(WAIT).until(() -> suppressed() >= 2);
        api(8082).get("/profiles/lookup?userId={id}", userId).then().statusCode(404);
        api(8082).get("/profiles/lookup?email={email}", email).then().statusCode(404);
        assertThat(tablesHolding(identifiers, List.of())).as("tables holding an identifier after later events").isEmpty();
    }

    private static IdentifyMessage.Builder identify(String userId, Map<String, Object> traits) {
        return IdentifyMessage.builder().userId(userId).traits(traits)
                .context(Map.of("consent", Map.of("categoryPreferences", Map.of("advertising", true))));
    }

    /** Messages profile-service dropped for naming an erased identifier. */
    private static double suppressed() {
        return io.restassured.RestAssured.given().port(port(8082)).get("/q/metrics").asString().lines()
                .filter(line -> line.startsWith("cdp_profile_events_suppressed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String awaitCustomer(String userId) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> api(8082).get("/profiles/lookup?userId={id}", userId).then().extract().path("customerId"), id -> id != null);
    }

    /** The tables of every service that hold one of the needles. */
    private static List<String> tablesHolding(List<String> needles, List<String> except) throws Exception {
        try (Connection db = LocalSuite.database()) {
            return Traces.tablesHolding(db, List.of("ingestion", "profile", "segment", "export"), needles, except);
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
