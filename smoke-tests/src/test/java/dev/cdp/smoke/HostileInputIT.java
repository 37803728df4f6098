package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.testing.JsonTrees;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * About 1,500 malformed, oversized, wrongly encoded and injection requests against every public endpoint of the
 * running suite, as a careless or hostile client sends them: every field of every body replaced by each hostile value,
 * whole bodies broken, parameters poisoned. Never a 5xx; every refusal a problem+json, never a stack trace or a class
 * name; and what the intake accepted is stored in bronze, not dead-lettered.
 */
@ExtendWith(LocalSuite.class)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1, as browsers and the tracking libraries talk to a plain http:// endpoint (no h2c upgrade). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String MARK = "\"@@hostile@@\"";
    /** Where a single intake message's messageId goes; each request gets its own. */
    private static final String ID = "@@id@@";
    /** What a response body must never show: the insides of the service. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]+\\.|\\b(java|javax|jakarta|io\\.vertx|io\\.quarkus|org\\.hibernate|com\\.fasterxml|org\\.postgresql)\\.[a-z]");
    /** Hostile values as raw JSON: wrong kinds, extremes, text PostgreSQL cannot hold, injections, nothing. */
    private static final List<String> VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "-0", "123456789012345678901234567890",
            "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00\"", "\"" + "x".repeat(10_000) + "\"",
            "\"" + "y".repeat(300) + "\"", "\"'; DROP TABLE profile.customers; --\"", "\"<script>alert(1)</script>\"", "\"../../../etc/passwd\"",
            "\"${jndi:ldap://127.0.0.1/a}\"", "\"%00\"", "\"İSTANBUL\"", "\"\\u202e🙂\"", "[]", "{}", "[1, \"two\"]", "{\"a\": {\"b\": {}}}",
            "\"2026-02-30T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"0000-01-01\"", "1.23456", "\"0.000001\"");

    private final List<String> failures = new ArrayList<>();
    private final Set<String> acceptedMessageIds = new HashSet<>();
    private final Set<String> refusedMessageIds = new HashSet<>();
    private int requests;

    @Test
    void everyEndpointRefusesHostileInputCleanlyAndStoresWhatItAccepted() throws Exception {
        long deadLettersBefore = deadLetters();
        String segmentId = existingId(8083, "/segments", "{\"name\": \"Hostile " + RUN + "\", \"definition\": {\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"izmir\"}}");
        String destinationId = existingId(8084, "/destinations", "{\"name\": \"Hostile " + RUN + "\", \"kind\": \"META\", "
                + "\"settings\": {\"adAccountId\": \"act_2\"}, \"credentials\": {\"accessToken\": \"t\"}}");
        for (Map.Entry<String, String> endpoint : bodies(segmentId, destinationId).entrySet()) {
            String[] target = endpoint.getKey().split(" ");
            String method = target[0];
            int usual = Integer.parseInt(target[1]);
            String path = target[2];
            String base = endpoint.getValue();
            for (String field : JsonTrees.pointers(JSON.readTree(base))) {
                for (String value : VALUES) {
                    // each message its own id, so what was refused can be looked for in bronze
                    String messageId = "hostile-" + UUID.randomUUID();
                    int status = send(usual, method, path, mutate(base, field, value).replace(ID, messageId).getBytes(StandardCharsets.UTF_8),
                            "application/json");
                    if (status >= 400 && base.contains(ID)) {
                        refusedMessageIds.add(messageId);
                    }
                }
            }
            for (byte[] body : brokenBodies(base.replace(ID, "hostile-broken-" + RUN))) {
                send(usual, method, path, body, "application/json");
            }
            send(usual, method, path, base.replace(ID, "hostile-xml-" + RUN).getBytes(StandardCharsets.UTF_8), "application/xml");
        }
        // within the 16 KB request line every service reads; longer ones are refused by the HTTP layer itself
        for (String value : List.of("%00", "a%00b", "%ED%A0%80", "%C0%AF", "x".repeat(5000), "'%20OR%201=1--", "%2e%2e%2f", "-1", "99999999999", "z".repeat(2001),
                "00000000-0000-0000-0000-000000000000", "%7B%7D", "")) {
            send(8082, "GET", "/profiles/lookup?userId=" + value, null, null);
            send(8082, "GET", "/profiles/lookup?email=" + value, null, null);
            send(8082, "GET", "/profiles?city=" + value + "&limit=" + value, null, null);
            send(8082, "GET", "/profiles/" + value, null, null);
            send(8082, "GET", "/profiles/" + value + "/transactions?before=" + value, null, null);
            send(8083, "GET", "/segments/" + value, null, null);
            send(8083, "GET", "/segments/" + segmentId + "/members?limit=" + value + "&after=" + value, null, null);
            send(8084, "GET", "/exports/" + value, null, null);
            send(8084, "GET", "/exports?status=" + value + "&limit=" + value, null, null);
            send(8084, "GET", "/syncs?segmentId=" + value, null, null);
            send(8082, "GET", "/events?source=" + value + "&after=" + value + "&limit=" + value, null, null);
            // the console's pages (HTML; the builder answers a definition's problems on the page itself)
            send(8083, "GET", "/console/profiles?q=" + value, null, null);
            send(8083, "GET", "/console/events?source=" + value, null, null);
            send(8083, "GET", "/console/events/rows?source=" + value + "&after=" + value, null, null);
            send(8083, "POST", "/console/builder", ("name=" + value + "&n.logic=" + value + "&n.0.type=event&n.0.operator=" + value
                    + "&n.0.value=" + value + "&n.0.f0.field=" + value + "&n.0.f0.value=" + value + "&n.0.window=period&n.0.period=" + value
                    + "&action=remove:n." + value).getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
            send(8081, "POST", "/v1/import?kind=" + value + "&timezone=" + value, "email\nx@example.com\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        }
        System.out.printf("Hostile input: %d requests, %d intake messages accepted, %d refused, %d failures%n", requests,
                acceptedMessageIds.size(), refusedMessageIds.size(), failures.size());
        assertThat(failures).as("responses that broke the rules").isEmpty();
        assertThat(requests).isGreaterThan(1500);

        // What the intake accepted is stored, not dead-lettered.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> stored(acceptedMessageIds) == acceptedMessageIds.size());
        assertThat(deadLetters()).as("nothing accepted was dead-lettered downstream").isEqualTo(deadLettersBefore);
        assertThat(stored(refusedMessageIds)).as("what was refused left no trace").isZero();
    }

    /** A valid body of each JSON endpoint, by "METHOD port path". */
    private static Map<String, String> bodies(String segmentId, String destinationId) {
        Map<String, String> bodies = new LinkedHashMap<>();
        String user = "hostile-" + RUN;
        bodies.put("POST 8081 /v1/track", "{\"messageId\": \"" + ID + "\", \"userId\": \"" + user + "\", \"event\": \"e\", \"timestamp\": \"2026-11-26T10:15:30Z\", \"properties\": {\"sku\": \"A-1\"}, \"context\": {\"campaign\": {\"name\": \"c\"}}}");
        bodies.put("POST 8081 /v1/identify", "{\"messageId\": \"" + ID + "\", \"anonymousId\": \"" + user + "\", \"traits\": {\"email\": \"" + user + "@example.com\", \"phone\": \"+905321112233\", \"address\": {\"city\": \"İzmir\"}, \"segment\": \"premium\", \"loyaltyCard\": \"LC-1\", \"birthday\": \"1990-03-07\"}}");
        bodies.put("POST 8081 /v1/page", "{\"messageId\": \"" + ID + "\", \"userId\": \"" + user + "\", \"name\": \"Prices\", \"properties\": {\"url\": \"https://example.com\"}}");
        bodies.put("POST 8081 /v1/alias", "{\"messageId\": \"" + ID + "\", \"userId\": \"" + user + "\", \"previousId\": \"" + user + "-old\"}");
        bodies.put("POST 8081 /v1/batch", "{\"batch\": [{\"type\": \"track\", \"userId\": \"" + user + "\", \"event\": \"e\"}], \"sentAt\": \"2026-11-26T10:15:30Z\"}");
        bodies.put("POST 8081 /v1/transactions", "{\"messageId\": \"" + ID + "\", \"transactionId\": \"T-1\", \"email\": \"" + user + "@example.com\", \"transactionType\": \"FUEL\", \"amount\": \"1250.40\", \"currency\": \"TRY\", \"storeId\": \"IST-007\", \"items\": [{\"sku\": \"FUEL-95\", \"quantity\": 28.95, \"unitPrice\": 43.19}]}");
        bodies.put("POST 8082 /privacy/erasures", "{\"email\": \"" + user + "-gone@example.com\"}");
        bodies.put("POST 8083 /segments", "{\"name\": \"H " + RUN + "\", \"description\": \"d\", \"definition\": {\"type\": \"group\", \"logic\": \"AND\", \"conditions\": [{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"izmir\"}, {\"type\": \"transaction\", \"metric\": \"sum\", \"operator\": \"gte\", \"value\": 100, \"window\": \"P30D\"}]}}");
        bodies.put("POST 8083 /segments/preview", "{\"definition\": {\"type\": \"event\", \"event\": \"app_open\", \"operator\": \"gte\", \"value\": 1, \"window\": \"P7D\"}}");
        bodies.put("POST 8084 /exports", "{\"segmentId\": \"" + segmentId + "\", \"platform\": \"META\", \"requestedBy\": \"hostile\"}");
        bodies.put("POST 8084 /destinations", "{\"name\": \"H " + RUN + "\", \"kind\": \"META\", \"settings\": {\"adAccountId\": \"act_1\"}, \"credentials\": {\"accessToken\": \"t\"}}");
        bodies.put("POST 8081 /v1/screen", "{\"messageId\": \"" + ID + "\", \"userId\": \"" + user + "\", \"name\": \"Wallet\"}");
        bodies.put("POST 8081 /v1/group", "{\"messageId\": \"" + ID + "\", \"userId\": \"" + user + "\", \"groupId\": \"fleet-42\", \"traits\": {\"name\": \"Fleet\"}}");
        bodies.put("POST 8081 /write-keys", "{\"name\": \"Hostile " + RUN + "\", \"source\": \"web\", \"allowedOrigins\": [\"https://www.example.com\"], \"ratePerSecond\": 10}");
        bodies.put("PUT 8083 /segments/" + segmentId, "{\"name\": \"Hostile " + RUN + "\", \"definition\": {\"type\": \"profile\", \"field\": \"city\", \"operator\": \"in\", \"value\": [\"izmir\", \"bursa\"]}}");
        bodies.put("POST 8084 /syncs", "{\"segmentId\": \"" + segmentId + "\", \"destinationId\": \"" + destinationId + "\", \"mode\": \"MIRROR\", \"trigger\": \"MANUAL\"}");
        bodies.put("PUT 8084 /destinations/" + destinationId + "/conversions", "{\"enabled\": false, \"testEventCode\": \"TEST1\"}");
        return bodies;
    }

    /** The body with the value at {@code pointer} replaced by the raw JSON {@code value}. */
    private static String mutate(String body, String pointer, String value) throws Exception {
        JsonNode marked = JsonTrees.replaced(JSON.readTree(body), pointer, JSON.getNodeFactory().textNode("@@hostile@@"));
        return JSON.writeValueAsString(marked).replace(MARK, value);
    }

    private static List<byte[]> brokenBodies(String base) {
        byte[] utf8 = base.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        byte[] invalidUtf8 = base.replaceFirst("\"[^\"]*\"", "\"\u0001\"").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[2] = (byte) 0xC3; // a lead byte followed by an ASCII one: not UTF-8
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("", "{", "}", "null", "[]", "\"x\"", "1", "{}", base + " garbage", base + base, base.substring(0, base.length() / 2),
                "[".repeat(100_000), "{\"a\":".repeat(10_000), base.replaceFirst("\\{", "{\"userId\": \"dup\", "), "{\"\\u0000\": 1}",
                "{\"batch\": " + "[".repeat(5000) + "}")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(bom);
        bodies.add(base.getBytes(StandardCharsets.UTF_16));
        bodies.add(base.getBytes(StandardCharsets.UTF_16LE));
        bodies.add(invalidUtf8);
        bodies.add(("{\"pad\": \"" + "p".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    /** Sends one request and checks its answer; returns its status. */
    private int send(int usual, String method, String path, byte[] body, String contentType) throws Exception {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(usual) + encodeQuery(path)))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (path.startsWith("/console/")) {
            request.header("HX-Request", "true"); // as the console's own pages send
        }
        request.header("Authorization", usual == 8081 && path.startsWith("/v1/")
                ? "Basic " + Base64.getEncoder().encodeToString("wk_pos_dev:".getBytes(StandardCharsets.UTF_8))
                : "Bearer " + LocalSuite.token("owner"));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String what = method + " " + usual + abbreviate(path) + (body == null ? "" : " " + abbreviate(new String(body, StandardCharsets.UTF_8)));
        String answer = response.statusCode() + " " + abbreviate(response.body());
        if (response.statusCode() >= 500) {
            failures.add(what + " -> " + answer);
            return response.statusCode();
        }
        if (LEAK.matcher(response.body()).find()) {
            failures.add(what + " -> leaks the service's insides: " + answer);
        }
        if (response.statusCode() >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                failures.add(what + " -> not a problem+json (" + type + "): " + answer);
            } else if (response.statusCode() == 400) {
                JsonNode problem = JSON.readTree(response.body());
                // the field is a JSON pointer or a parameter's name; "" points at the whole body
                problem.path("violations").forEach(violation -> {
                    if (!violation.path("field").isTextual() || violation.path("detail").asText().isBlank()) {
                        failures.add(what + " -> a violation without its field or problem: " + answer);
                    }
                });
                if (problem.path("detail").asText().isBlank() || problem.path("detail").asText().startsWith(" ")) {
                    failures.add(what + " -> a problem without a readable detail: " + answer);
                }
            }
            return response.statusCode();
        }
        if (usual == 8081 && path.startsWith("/v1/") && !path.startsWith("/v1/import") && !path.equals("/v1/batch")) {
            JsonNode accepted = JSON.readTree(response.body());
            if (accepted.hasNonNull("messageId")) {
                acceptedMessageIds.add(accepted.get("messageId").asText());
            }
        }
        return response.statusCode();
    }

    /** The query's values are sent as written (already percent-encoded where they must be); the rest is encoded. */
    private static String encodeQuery(String path) {
        int query = path.indexOf('?');
        String plain = query < 0 ? path : path.substring(0, query);
        StringBuilder encoded = new StringBuilder();
        for (String segment : plain.split("/", -1)) {
            if (!encoded.isEmpty() || !segment.isEmpty()) {
                encoded.append('/');
            }
            encoded.append(segment.contains("%") ? segment : URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String result = encoded.toString().replaceFirst("^//", "/");
        return query < 0 ? result : result + path.substring(query).replace(" ", "%20").replace("'", "%27");
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…(" + text.length() + " chars)" : text;
    }

    private static String existingId(int usual, String path, String body) throws Exception {
        return LocalSuite.api(usual).contentType("application/json").body(body).post(path).then().statusCode(201).extract().path("id");
    }

    private static long stored(Set<String> messageIds) throws Exception {
        try (Connection db = LocalSuite.database();
                PreparedStatement statement = db.prepareStatement("SELECT count(DISTINCT message_id) FROM profile.raw_events WHERE message_id = ANY(?)")) {
            statement.setArray(1, db.createArrayOf("text", messageIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long deadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(9092)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("cdp.events.dlq").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
