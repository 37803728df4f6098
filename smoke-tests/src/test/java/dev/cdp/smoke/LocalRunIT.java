package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local run at work: every service ready, a track call over HTTP found in the customer's profile, and the demo
 * flow ({@code deploy/local/cdp demo}) at a small size, checked against the data it generated, its webhook sync and
 * erasure included.
 */
@ExtendWith(LocalSuite.class)
class LocalRunIT {

    private static final int PORT_OFFSET = LocalSuite.PORT_OFFSET;
    private static final Path HOME = LocalSuite.HOME;

    @Test
    void everyServiceIsReady() {
        for (int port = 8081; port <= 8084; port++) {
            given().port(port + PORT_OFFSET).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void aTrackCallReachesTheCustomerProfile() {
        String userId = "smoke-" + UUID.randomUUID();
        given().port(8081 + PORT_OFFSET).auth().preemptive().basic("wk_pos_dev", "")
                .contentType("application/json")
                .body("""
                        {"userId": "%s", "event": "coupon_redeemed", "properties": {"coupon": "FUEL10"}}""".formatted(userId))
                .post("/v1/track")
                .then().statusCode(200).body("success", equalTo(true));

        String customerId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(
                () -> api(8082).get("/profiles/lookup?userId={id}", userId),
                response -> response.statusCode() == 200).path("customerId");

        api(8082).get("/profiles/{id}/interactions", customerId)
                .then().statusCode(200)
                .body("items[0].event", equalTo("coupon_redeemed"))
                .body("items[0].source", equalTo("pos"))
                .body("items[0].properties.coupon", equalTo("FUEL10"));
    }

    /**
     * The main job at a small size: what it built must agree with the generated files, computed here independently of
     * the suite: customers, transactions and events stored; two example segments' sizes; the Meta and Google files'
     * email hashes for every exported customer who has an email.
     */
    @Test
    void theDemoBuildsProfilesSegmentsAndExportsThatAgreeWithTheGeneratedData() throws Exception {
        Map<String, Object> before = api(8082).get("/profiles/stats").then().statusCode(200).extract().jsonPath().getMap("$");
        Process demo = LocalSuite.cdp("demo", "--customers", "300", "--seed", "7");
        assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("cdp demo finishes").isTrue();
        assertThat(demo.exitValue()).as("cdp demo succeeds; see target/local-run-demo.log").isZero();
        Path data = HOME.resolve("demo");
        List<JsonNode> customers = lines(data.resolve("customers.json"));
        List<JsonNode> transactions = lines(data.resolve("transactions.json"));
        assertThat(customers).hasSize(300);

        Map<String, Object> after = api(8082).get("/profiles/stats").then().statusCode(200).extract().jsonPath().getMap("$");
        // The generated customers; the one the webhook step identifies was erased by the last step.
        assertThat(grown(before, after, "customers")).isEqualTo(300);
        String printed = Files.readString(HOME.resolveSibling("local-run-demo.log"), StandardCharsets.UTF_8);
        assertThat(printed).as("the webhook step's add arrived, its signature verified")
                .contains("audience.members.added, 1 member(s), signature verified").contains("after the identify call");
        assertThat(printed).as("the erasure step's removal arrived, and the erasure completed")
                .contains("audience.members.removed, 1 member(s), signature verified").contains("after the erasure was asked for")
                .contains("step DONE").containsPattern("completed in \\d+ ms: \\d+ rows deleted from the profile");
        assertThat(grown(before, after, "mergedCustomers")).as("every generated customer is a person of their own").isZero();
        assertThat(grown(before, after, "transactions")).isEqualTo(transactions.size());
        assertThat(grown(before, after, "interactions")).isEqualTo(lines(data.resolve("events.json")).size());

        Map<String, BigDecimal> spent = new HashMap<>();
        transactions.forEach(t -> spent.merge(t.path("customer_id").asText(), t.path("amount").decimalValue(), BigDecimal::add));
        List<JsonNode> audience = customers.stream()
                .filter(c -> c.path("segment").asText().equals("premium") && c.path("ads_opt_in").asBoolean()).toList();
        Map<String, Integer> sizes = new HashMap<>();
        api(8083).get("/segments").then().statusCode(200).extract().jsonPath().getList("$", Map.class)
                .forEach(segment -> sizes.put((String) segment.get("name"), ((Number) segment.get("size")).intValue()));
        assertThat(sizes.get("High spenders")).isEqualTo((int) spent.values().stream().filter(total -> total.compareTo(new BigDecimal(5000)) > 0).count());
        assertThat(sizes.get("Premium customers open to advertising")).isEqualTo(audience.size()).isPositive();
        // Page views sent as analytics.js sends them, some from an ad: the campaign's UTM source reached the segment.
        assertThat(sizes.get("Came from an Instagram ad")).isEqualTo((int) lines(data.resolve("events.json")).stream()
                .filter(event -> event.at("/campaign/source").asText().equals("instagram"))
                .map(event -> event.path("customer_id").asText()).distinct().count()).isPositive();

        List<String> emails = audience.stream().filter(c -> c.hasNonNull("email")).map(c -> c.path("email").asText().strip().toLowerCase(Locale.ROOT))
                .toList();
        assertThat(emails).isNotEmpty();
        assertThat(column(exported(data, "meta-"), 0)).containsAll(emails.stream().map(LocalRunIT::sha256).toList());
        // Google: gmail addresses without the dots and +tag of their local part.
        assertThat(column(exported(data, "google-"), 0)).containsAll(emails.stream().map(email -> {
            String[] parts = email.split("@");
            return sha256(parts[1].equals("gmail.com") ? parts[0].replaceAll("\\+.*", "").replace(".", "") + "@" + parts[1] : email);
        }).toList());
    }

    private static long grown(Map<String, Object> before, Map<String, Object> after, String layer) {
        return ((Number) after.get(layer)).longValue() - ((Number) before.get(layer)).longValue();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(json.readTree(line));
        }
        return rows;
    }

    private static Path exported(Path data, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("exports"))) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    /** One column of a file whose cells are hashes or plain codes (no quoting needed), without the header. */
    private static List<String> column(Path csv, int index) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(line -> line.split(",", -1)[index]).toList();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
