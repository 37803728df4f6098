package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A segment kept in sync with a webhook, the whole way through the running suite: a customer identified over HTTP
 * enters the segment (ingestion -> Kafka -> profile -> segment -> membership -> export-service) and reaches a
 * receiver that verifies every request with the Standard Webhooks reference library (npm {@code standardwebhooks}),
 * not with code of ours. Prints how long the add took from the accepted identify call.
 */
@ExtendWith(LocalSuite.class)
class AudienceSyncIT {

    private static final Path SDK = LocalSuite.ROOT.resolve("smoke-tests/sdk");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aCustomerWhoEntersASegmentReachesTheWebhookSignedAndInSeconds() throws Exception {
        NodeSdk.install();
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            int receiverPort = receiver.port;
            String secret = receiver.secret;
            BlockingQueue<JsonNode> lines = receiver.lines;
            String tier = "sync-" + UUID.randomUUID().toString().substring(0, 8);
            String segmentId = api(8083).contentType("application/json").body("""
                    {"name": "%s", "definition": {"type": "profile", "field": "tier", "operator": "eq", "value": "%s"}}"""
                    .formatted(tier, tier.toUpperCase(Locale.ROOT))).post("/segments").then().statusCode(201).extract().path("id");
            api(8083).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
            String destinationId = api(8084).contentType("application/json").body("""
                    {"name": "Own CRM %s", "kind": "WEBHOOK", "settings": {"url": "http://127.0.0.1:%d/audiences"},
                     "credentials": {"signingSecret": "%s"}}""".formatted(tier, receiverPort, secret))
                    .post("/destinations").then().statusCode(201).extract().path("id");
            api(8084).post("/destinations/{id}/test", destinationId).then().statusCode(200).body("ok", equalTo(true));
            assertThat(next(lines).path("payload").path("type").asText()).isEqualTo("ping");
            String syncId = api(8084).contentType("application/json").body("""
                    {"segmentId": "%s", "destinationId": "%s", "mode": "MIRROR", "trigger": "ON_CHANGE"}""".formatted(segmentId, destinationId))
                    .post("/syncs").then().statusCode(201).extract().path("id");
            // The first run uploads the (empty) audience; wait for it so the next add is the real-time one.
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> "SUCCEEDED".equals(
                    api(8084).get("/syncs/{id}/runs", syncId).path("[0].status")));

            String email = tier + "@example.com";
            long sent = System.currentTimeMillis();
            given().port(port(8081)).auth().preemptive().basic("wk_app_dev", "").contentType("application/json").body("""
                    {"userId": "%s", "traits": {"segment": "%s", "email": "%s"},
                     "context": {"consent": {"categoryPreferences": {"advertising": true}}}}""".formatted(tier, tier, email))
                    .post("/v1/identify").then().statusCode(200);

            JsonNode added = next(lines);
            assertThat(added.path("verified").asBoolean()).as(added.toString()).isTrue();
            JsonNode payload = added.path("payload");
            assertThat(payload.path("type").asText()).isEqualTo("audience.members.added");
            assertThat(payload.path("data").path("syncId").asText()).isEqualTo(syncId);
            assertThat(payload.path("data").path("members")).hasSize(1);
            assertThat(payload.path("data").path("members").get(0).path("email").asText()).isEqualTo(sha256(email));
            System.out.printf("Webhook add arrived %d ms after the identify call was accepted%n", added.path("receivedAt").asLong() - sent);
        }
    }

    @Test
    void killedMidRunItResumesWithoutSendingAnAddTwice() throws Exception {
        NodeSdk.install();
        int customers = 2500;
        String tier = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> userIds = new ArrayList<>();
        for (int batch = 0; batch < customers / 100; batch++) {
            ArrayNode messages = JSON.createArrayNode();
            for (int i = 0; i < 100; i++) {
                String userId = tier + "-" + (batch * 100 + i);
                userIds.add(userId);
                ObjectNode identify = messages.addObject().put("type", "identify").put("userId", userId);
                identify.putObject("traits").put("segment", tier).put("email", userId + "@example.com");
                identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
            }
            given().port(port(8081)).auth().preemptive().basic("wk_app_dev", "").contentType("application/json")
                    .body(JSON.createObjectNode().set("batch", messages).toString()).post("/v1/batch").then().statusCode(200);
        }
        String segmentId = api(8083).contentType("application/json").body("""
                {"name": "%s", "definition": {"type": "profile", "field": "tier", "operator": "eq", "value": "%s"}}"""
                .formatted(tier, tier.toUpperCase(Locale.ROOT))).post("/segments").then().statusCode(201).extract().path("id");
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> api(8083)
                .post("/segments/{id}/refresh", segmentId).then().statusCode(200).extract().<Integer>path("size") == customers);

        // A slow endpoint: each answer comes 4 s after the request was read, so the kill lands while a batch is out.
        try (WebhookReceiver receiver = new WebhookReceiver(4000)) {
            String destinationId = api(8084).contentType("application/json").body("""
                    {"name": "Slow CRM %s", "kind": "WEBHOOK", "settings": {"url": "http://127.0.0.1:%d/audiences"},
                     "credentials": {"signingSecret": "%s"}}""".formatted(tier, receiver.port, receiver.secret))
                    .post("/destinations").then().statusCode(201).extract().path("id");
            String syncId = api(8084).contentType("application/json").body("""
                    {"segmentId": "%s", "destinationId": "%s", "trigger": "MANUAL"}""".formatted(segmentId, destinationId))
                    .post("/syncs").then().statusCode(201).extract().path("id");
            api(8084).post("/syncs/{id}/runs", syncId).then().statusCode(202);
            JsonNode first = next(receiver.lines);
            assertThat(first.path("payload").path("data").path("members")).hasSize(1000);

            ProcessHandle exportService = ProcessHandle.allProcesses()
                    .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains("-Dcdp.component=export"))
                    .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains("-Dcdp.home=" + LocalSuite.HOME))
                    .findFirst().orElseThrow();
            new ProcessBuilder("kill", "-9", Long.toString(exportService.pid())).start().waitFor();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !exportService.isAlive());
            Process up = LocalSuite.cdp("up");
            assertThat(up.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(up.exitValue()).as("cdp up restarts export-service; see target/local-run-up.log").isZero();

            // The run is resumed once its heartbeat is stale (30 s) and finishes the upload.
            JsonNode run = org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> JSON.readTree(api(8084).get("/syncs/{id}/runs", syncId).asString()).get(0),
                            latest -> latest.path("status").asText().equals("SUCCEEDED"));
            Map<String, Integer> deliveries = new HashMap<>();
            List<JsonNode> requests = new ArrayList<>(List.of(first));
            receiver.lines.drainTo(requests);
            for (JsonNode request : requests) {
                assertThat(request.path("verified").asBoolean()).isTrue();
                request.path("payload").path("data").path("members").forEach(member -> deliveries.merge(member.path("customerId").asText(), 1, Integer::sum));
            }
            assertThat(deliveries).as("every member arrived").hasSize(customers);
            assertThat(deliveries.values()).as("no member was added twice").containsOnly(1);
            assertThat(run.path("unconfirmedAdds").asInt()).as("the batch at the endpoint when it was killed").isEqualTo(1000);
            assertThat(run.path("rowsAdded").asInt()).isEqualTo(customers - 1000);
        }
    }

    static JsonNode next(BlockingQueue<JsonNode> lines) throws InterruptedException {
        JsonNode line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("a request reached the receiver within " + WAIT).isNotNull();
        return line;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
