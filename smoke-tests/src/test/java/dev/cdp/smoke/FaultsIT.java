package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite: the running suite's broker, database and services are killed ({@code kill -9}) or restarted in the
 * middle of their work, and every case ends with a reconciliation by message id: what the intake accepted is in
 * bronze once, in silver and in gold, and what segment-service and export-service derived from it equals a fresh
 * computation. A killed component is started again with {@code cdp up}, as an operator would. (A sync run killed
 * mid-upload is {@link AudienceSyncIT}'s case; poison records on every consumed topic are each service's own tests.)
 */
@ExtendWith(LocalSuite.class)
@TestMethodOrder(OrderAnnotation.class)
class FaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The customers of the profile-service case, who later fill the segment and export cases' audience. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VISIT = "fault_visit_" + RUN;
    private static final int CUSTOMERS = 6000;

    @Test
    @Order(1)
    void aBrokerKilledDuringASteadyIntakeLosesNothingTheIntakeAccepted() throws Exception {
        String event = "fault_broker_" + RUN;
        Sender sender = new Sender(event);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(sender);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> sender.accepted.size() >= 200);
            kill("kafka");
            await().atMost(Duration.ofSeconds(60)).until(() -> !sender.refused.isEmpty());
            up();
            await().atMost(Duration.ofSeconds(60)).until(() -> sender.acceptedSinceRestart.get());
        } finally {
            sender.stop.set(true);
            sending.get(2, TimeUnit.MINUTES);
        }
        assertThat(sender.unexpected).as("every answer was 200, or 503 with Retry-After").isEmpty();
        System.out.printf("Broker killed: %d messages accepted, %d answered 503 with Retry-After%n", sender.accepted.size(),
                sender.refused.size());

        // As a tracking library does: the refused messages are sent again, with the same messageIds.
        sender.resend();
        reconcile(event, sender.accepted);
    }

    @Test
    @Order(2)
    void profileServiceKilledInTheMiddleOfABatchStoresEverythingOnceAfterItsRestart() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int from = 0; from < CUSTOMERS; from += 500) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = from; i < from + 500; i++) {
                String userId = "fault-" + RUN + "-" + i;
                ObjectNode identify = batch.addObject().put("type", "identify").put("userId", userId).put("messageId", UUID.randomUUID().toString());
                identify.putObject("traits").put("email", userId + "@example.com");
                identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
                batch.addObject().put("type", "track").put("userId", userId).put("event", VISIT).put("messageId", UUID.randomUUID().toString());
            }
            assertThat(post("/v1/batch", JSON.createObjectNode().set("batch", batch).toString()).statusCode()).isEqualTo(200);
            batch.forEach(message -> accepted.add(message.path("messageId").asText()));
        }
        // Killed while it stores them: batches are committed in PostgreSQL before their offsets are in Kafka.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> stored(accepted) > 500);
        long storedAtKill = stored(accepted);
        kill("profile");
        System.out.printf("profile-service killed with %d of %d messages stored%n", storedAtKill, accepted.size());
        assertThat(storedAtKill).as("the kill came before everything was stored").isLessThan(accepted.size());
        up();
        reconcile(VISIT, accepted, CUSTOMERS);
    }

    @Test
    @Order(3)
    void postgresqlRestartedDuringConsumptionPausesTheConsumersAndLosesNothing() throws Exception {
        String pgCtl = "/usr/bin/pg_ctlcluster";
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(pgCtl)) && LocalSuite.databaseIsLocal(),
                "restarting PostgreSQL needs this machine's own server (pg_ctlcluster)");
        String event = "fault_database_" + RUN;
        List<String> accepted = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < 400; i++) {
                batch.addObject().put("type", "track").put("userId", "fault-" + RUN + "-" + (round * 400 + i) % CUSTOMERS)
                        .put("event", event).put("messageId", UUID.randomUUID().toString());
            }
            assertThat(post("/v1/batch", JSON.createObjectNode().set("batch", batch).toString()).statusCode()).isEqualTo(200);
            batch.forEach(message -> accepted.add(message.path("messageId").asText()));
        }
        String version = Files.list(Path.of("/etc/postgresql")).findFirst().orElseThrow().getFileName().toString();
        Process restart = new ProcessBuilder(pgCtl, "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast")
                .redirectErrorStream(true).start();
        assertThat(restart.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(restart.exitValue()).as(new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        reconcile(event, accepted);
        // Every service came back by itself, without a restart of its own.
        for (int service = 8081; service <= 8084; service++) {
            int usual = service;
            await().atMost(SETTLE).until(() -> api(usual).get("/q/health/ready").statusCode() == 200);
        }
    }

    @Test
    @Order(4)
    void segmentServiceKilledDuringAFullEvaluationOrItsRelaySendsEveryChangeAndHoldsAFreshEvaluationsMembers() throws Exception {
        Set<String> expected = customersWith(VISIT);
        assertThat(expected).hasSize(CUSTOMERS);
        for (boolean duringRelay : new boolean[] {false, true}) {
            String segmentId = api(8083).contentType("application/json").body("""
                    {"name": "Fault %s %s", "definition": {"type": "event", "event": "%s", "operator": "gte", "value": 1}}"""
                    .formatted(RUN, duringRelay ? "relay" : "evaluation", VISIT)).post("/segments").then().statusCode(201).extract().path("id");
            CompletableFuture<Integer> refresh = CompletableFuture.supplyAsync(() -> api(8083).post("/segments/{id}/refresh", segmentId).statusCode());
            if (duringRelay) {
                // committed, and the membership changes on their way to Kafka
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> outboxRows(segmentId) > 0);
            } else {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> evaluating(segmentId));
            }
            long membersAtKill = members(segmentId).size();
            kill("segment");
            System.out.printf("segment-service killed %s: %d members committed, %d changes not yet sent%n",
                    duringRelay ? "during the relay" : "during the evaluation", membersAtKill, outboxRows(segmentId));
            refresh.handle((status, failure) -> null).get(1, TimeUnit.MINUTES);
            up();
            api(8083).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
            assertThat(members(segmentId)).as("the members are those a fresh evaluation finds").isEqualTo(expected);
            await().atMost(SETTLE).until(() -> outboxRows(segmentId) == 0);
            assertThat(entered(segmentId, expected.size())).as("every entry was sent at least once").isEqualTo(expected);
        }
    }

    @Test
    @Order(5)
    void exportServiceKilledDuringAFileExportNeverServesAPartialFile() throws Exception {
        String segmentId = api(8083).contentType("application/json").body("""
                {"name": "Fault export %s", "definition": {"type": "event", "event": "%s", "operator": "gte", "value": 1}}"""
                .formatted(RUN, VISIT)).post("/segments").then().statusCode(201).extract().path("id");
        api(8083).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
        String job = api(8084).contentType("application/json").body("""
                {"segmentId": "%s", "platform": "META"}""".formatted(segmentId)).post("/exports").then().statusCode(202).extract().path("id");
        kill("export");
        String statusAtKill = jobStatus(job);
        up();

        // The job ends: failed once its lost runner's heartbeat is stale, or finished in full; never a partial file.
        String status = await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> api(8084).get("/exports/{id}", job).path("status"),
                s -> "FAILED".equals(s) || "SUCCEEDED".equals(s));
        System.out.printf("export-service killed while its job was %s; the job then %s%n", statusAtKill, status);
        if (status.equals("FAILED")) {
            api(8084).get("/exports/{id}/file", job).then().statusCode(409).contentType("application/problem+json");
            assertThat(partialFiles()).as("the unfinished file was removed").isEmpty();
        } else {
            assertThat(lines(api(8084).get("/exports/{id}/file", job).asString())).hasSize(CUSTOMERS);
        }
        // Asked again, the export completes in full.
        String again = api(8084).contentType("application/json").body("""
                {"segmentId": "%s", "platform": "META"}""".formatted(segmentId)).post("/exports").then().statusCode(202).extract().path("id");
        await().atMost(SETTLE).until(() -> "SUCCEEDED".equals(api(8084).get("/exports/{id}", again).path("status")));
        assertThat(lines(api(8084).get("/exports/{id}/file", again).asString())).hasSize(CUSTOMERS);
    }

    /** Sends batches of 20 track calls, one after another, until stopped, and notes how each was answered. */
    private static final class Sender implements Runnable {
        final String event;
        final AtomicBoolean stop = new AtomicBoolean();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final List<ArrayNode> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean acceptedSinceRestart = new AtomicBoolean();
        volatile boolean sawRefusal;
        int sent;

        Sender(String event) {
            this.event = event;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                ArrayNode batch = JSON.createArrayNode();
                for (int i = 0; i < 20; i++) {
                    batch.addObject().put("type", "track").put("userId", "fault-broker-" + RUN + "-" + (sent++ % 50)).put("event", event)
                            .put("messageId", UUID.randomUUID().toString());
                }
                try {
                    HttpResponse<String> response = post("/v1/batch", JSON.createObjectNode().set("batch", batch).toString());
                    if (response.statusCode() == 200) {
                        batch.forEach(message -> accepted.add(message.path("messageId").asText()));
                        acceptedSinceRestart.set(sawRefusal);
                    } else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                            && response.body().contains("storage-unavailable")) {
                        refused.add(batch);
                        sawRefusal = true;
                    } else {
                        unexpected.add(response.statusCode() + " " + response.body());
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    unexpected.add(e.toString());
                }
            }
        }

        void resend() throws Exception {
            for (ArrayNode batch : refused) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> post("/v1/batch", JSON.createObjectNode().set("batch", batch).toString()).statusCode() == 200);
                batch.forEach(message -> accepted.add(message.path("messageId").asText()));
            }
        }
    }

    /** Accepted = stored in bronze once = one interaction each (silver) = the event's count (gold), within a few minutes. */
    private static void reconcile(String event, Set<String> accepted) throws Exception {
        reconcile(event, List.copyOf(accepted), -1);
    }

    private static void reconcile(String event, List<String> accepted) throws Exception {
        reconcile(event, accepted, -1);
    }

    /**
     * @param tracks how many of {@code accepted} are track calls of {@code event} (the rest are identify calls), or -1
     *        when all are
     */
    private static void reconcile(String event, List<String> accepted, int tracks) throws Exception {
        long interactions = tracks < 0 ? accepted.size() : tracks;
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> stored(accepted) >= accepted.size());
        try (Connection db = LocalSuite.database()) {
            assertThat(count(db, "SELECT count(*) FROM profile.raw_events WHERE source = 'app' AND message_id = ANY(?)", accepted))
                    .as("bronze: every accepted message once").isEqualTo(accepted.size());
            assertThat(count(db, "SELECT count(*) FROM profile.interactions i JOIN profile.raw_events r ON r.id = i.raw_event_id "
                    + "WHERE r.source = 'app' AND r.message_id = ANY(?)", accepted)).as("silver: one interaction per track call").isEqualTo(interactions);
            assertThat(count(db, "SELECT coalesce(sum(count), 0) FROM profile.customer_event_counts WHERE event_name = ?", event))
                    .as("gold: the event's counts").isEqualTo(interactions);
        }
        System.out.printf("Reconciled %s: %d accepted = %d in bronze, %d interactions in silver and gold%n", event, accepted.size(),
                accepted.size(), interactions);
    }

    private static long stored(List<String> messageIds) throws Exception {
        try (Connection db = LocalSuite.database()) {
            return count(db, "SELECT count(DISTINCT message_id) FROM profile.raw_events WHERE source = 'app' AND message_id = ANY(?)", messageIds);
        }
    }

    private static long count(Connection db, String sql, Object parameter) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            if (parameter instanceof List<?> list) {
                Array array = db.createArrayOf("text", list.toArray());
                statement.setArray(1, array);
            } else {
                statement.setObject(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Set<String> customersWith(String event) throws Exception {
        return strings("SELECT customer_id::text FROM profile.customer_event_counts WHERE event_name = ? AND count >= 1", event);
    }

    private static Set<String> members(String segmentId) throws Exception {
        return strings("SELECT customer_id::text FROM segment.memberships WHERE segment_id = ?::uuid", segmentId);
    }

    private static long outboxRows(String segmentId) throws Exception {
        try (Connection db = LocalSuite.database()) {
            return count(db, "SELECT count(*) FROM segment.membership_outbox WHERE segment_id = ?::uuid", segmentId);
        }
    }

    /** Whether segment-service's evaluation has started: a statement of its role runs in PostgreSQL, or it has committed. */
    private static boolean evaluating(String segmentId) throws Exception {
        try (Connection db = LocalSuite.database()) {
            return count(db, "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND state = 'active'", "cdp_segment") > 0
                    || outboxRows(segmentId) > 0;
        }
    }

    private static String jobStatus(String job) throws Exception {
        return strings("SELECT status FROM export.jobs WHERE id = ?::uuid", job).stream().findFirst().orElse("unknown");
    }

    private static Set<String> strings(String sql, String parameter) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection db = LocalSuite.database(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

    /** The customers of the segment's ENTERED messages on cdp.segments.membership, once at least {@code count} are there. */
    private static Set<String> entered(String segmentId, int count) {
        Set<String> customers = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(9092),
                ConsumerConfig.GROUP_ID_CONFIG, "fault-probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cdp.segments.membership"));
            Instant deadline = Instant.now().plus(SETTLE);
            while (customers.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode change = read(record.value());
                    if (segmentId.equals(change.path("segmentId").asText()) && "ENTERED".equals(change.path("change").asText())) {
                        customers.add(change.path("customerId").asText());
                    }
                }
            }
        }
        return customers;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> lines(String csv) {
        return csv.lines().skip(1).filter(line -> !line.isBlank()).toList();
    }

    private static List<Path> partialFiles() throws Exception {
        Path exports = LocalSuite.HOME.resolve("exports");
        if (!Files.isDirectory(exports)) {
            return List.of();
        }
        try (var files = Files.walk(exports)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".part")).toList();
        }
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(8081) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("wk_app_dev:".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code kill -9} of a component of the local run, waiting until it is gone. */
    private static void kill(String component) throws Exception {
        long pid = Long.parseLong(Files.readString(LocalSuite.HOME.resolve("run").resolve(component + ".pid")).strip());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(component + " does not run"));
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    /** {@code cdp up}: starts whatever of the suite does not run, and waits until everything is ready. */
    private static void up() throws Exception {
        Process up = LocalSuite.cdp("up");
        assertThat(up.waitFor(3, TimeUnit.MINUTES)).as("cdp up finishes").isTrue();
        assertThat(up.exitValue()).as("cdp up restarts what was killed; see target/local-run-up.log").isZero();
    }
}
