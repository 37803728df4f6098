package dev.cdp.devtools.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo flow against a running suite, all through the services' HTTP APIs: generate mock data ({@link MockData})
 * into {@code customers.json}, {@code transactions.json} and {@code events.json}; import the customers and
 * transactions ({@code /v1/import}) and send the events through the webhook ({@code /v1/batch}); wait until
 * profile-service has stored them; create the example segments and evaluate them; export one audience to Meta,
 * Google and TikTok; keep a segment in sync with a webhook receiver and show a customer's add arriving; print what
 * happened. Running it again stores nothing twice (ids are deterministic).
 *
 * <p>Usage: {@code Demo [--customers N] [--seed S] [--out DIR] [--base-port P] [--generate-only]}
 */
public final class Demo {

    /** The example segment exported to every platform: the one meant for an advertising campaign. */
    static final String EXPORTED_SEGMENT = "Premium customers open to advertising";
    private static final int BATCH = 500;
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final String WEBHOOK_NAME = "Demo webhook receiver";
    private static final String DEMO_KEY_NAME = "Demo ";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The write key of each source, made by {@link #makeWriteKeys}. */
    private final Map<String, String> writeKeys = new HashMap<>();
    private final String ingestion;
    private final String profiles;
    private final String segments;
    private final String exports;
    private String bearer;

    Demo(int basePort) {
        this.ingestion = "http://127.0.0.1:" + basePort;
        this.profiles = "http://127.0.0.1:" + (basePort + 1);
        this.segments = "http://127.0.0.1:" + (basePort + 2);
        this.exports = "http://127.0.0.1:" + (basePort + 3);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--customers", "1000", "--seed", "42", "--out", ".cdp/demo", "--base-port", "8081",
                "--issuer", "http://127.0.0.1:8180/realms/cdp", "--user", "admin", "--password", "admin"));
        boolean generateOnly = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--generate-only")) {
                generateOnly = true;
            } else if (options.containsKey(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("usage: Demo [--customers N] [--seed S] [--out DIR] [--base-port P] [--issuer URL] [--user U] "
                        + "[--password P] [--generate-only]");
                System.exit(2);
            }
        }
        int customers = Integer.parseInt(options.get("--customers"));
        long seed = Long.parseLong(options.get("--seed"));
        Path out = Path.of(options.get("--out"));
        long started = System.nanoTime();
        Counts generated = generate(customers, seed, out);
        if (generateOnly) {
            return;
        }
        Demo demo = new Demo(Integer.parseInt(options.get("--base-port")));
        demo.logIn(options.get("--issuer"), options.get("--user"), options.get("--password"));
        demo.run(out, generated);
        say("done in %d s", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * Logs in as a person would, with the user's password at the identity provider (the realm's {@code cdp-web}
     * client): the management APIs take its bearer token. The development user {@code admin} may do all the demo does.
     */
    void logIn(String issuer, String user, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=cdp-web&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cannot log in as " + user + " at " + issuer + ": " + response.statusCode());
        }
        bearer = "Bearer " + json.readTree(response.body()).path("access_token").asText();
        say("logged in as %s at %s", user, issuer);
    }

    /**
     * Write keys for the demo's sources, made over the API as an administrator would; the last run's demo keys are
     * revoked first, since a key is shown only when it is made.
     */
    private void makeWriteKeys() throws IOException, InterruptedException {
        for (JsonNode key : get(ingestion + "/write-keys")) {
            if (key.path("name").asText().startsWith(DEMO_KEY_NAME) && !key.path("status").asText().equals("REVOKED")) {
                send("DELETE", ingestion + "/write-keys/" + key.path("id").asText(), null, null);
            }
        }
        List<String> hints = new ArrayList<>();
        for (String source : List.of("web", "app", "pos")) {
            ObjectNode request = json.createObjectNode().put("name", DEMO_KEY_NAME + source).put("source", source)
                    .put("ratePerSecond", 100_000);
            JsonNode made = send("POST", ingestion + "/write-keys", request, null);
            writeKeys.put(source, made.path("key").asText());
            hints.add(source + " " + made.path("keyHint").asText());
        }
        say("    write keys made over the API (the last run's revoked): %s", String.join(", ", hints));
    }

    /** How many rows of each kind were generated. */
    record Counts(long customers, long transactions, long events) {
        long total() {
            return customers + transactions + events;
        }
    }

    /** Writes one JSON object per line: the three files are JSON Lines, so they stream and import as they are. */
    private static void writeLine(ObjectMapper json, JsonGenerator out, Map<String, Object> row) throws IOException {
        json.writeValue(out, row);
        out.writeRaw('\n');
    }

    static Counts generate(int customers, long seed, Path out) throws IOException {
        Files.createDirectories(out);
        say("1/7 generating %,d customers (seed %d) into %s", customers, seed, out);
        ObjectMapper json = new ObjectMapper();
        long[] counts = new long[3];
        try (JsonGenerator customerFile = json.createGenerator(Files.newBufferedWriter(out.resolve("customers.json")));
                JsonGenerator transactionFile = json.createGenerator(Files.newBufferedWriter(out.resolve("transactions.json")));
                JsonGenerator eventFile = json.createGenerator(Files.newBufferedWriter(out.resolve("events.json")))) {
            new MockData(seed, Instant.now(), new MockData.Sink() {
                @Override
                public void customer(Map<String, Object> customer) throws IOException {
                    writeLine(json, customerFile, customer);
                    counts[0]++;
                }

                @Override
                public void transaction(Map<String, Object> transaction) throws IOException {
                    writeLine(json, transactionFile, transaction);
                    counts[1]++;
                }

                @Override
                public void event(Map<String, Object> event) throws IOException {
                    writeLine(json, eventFile, event);
                    counts[2]++;
                }
            }).generate(customers);
        }
        Counts generated = new Counts(counts[0], counts[1], counts[2]);
        say("    %,d customers, %,d transactions, %,d events", generated.customers(), generated.transactions(), generated.events());
        return generated;
    }

    void run(Path out, Counts generated) throws Exception {
        long before = stats().path("rawEvents").asLong();
        say("2/7 ingesting over HTTP: customers and transactions through %s/v1/import, events through %s/v1/batch", ingestion, ingestion);
        makeWriteKeys();
        long accepted = importFile(out.resolve("customers.json"), "customers") + importFile(out.resolve("transactions.json"), "transactions")
                + sendEvents(out.resolve("events.json"));
        say("    %,d of %,d messages accepted", accepted, generated.total());

        say("3/7 waiting until profile-service has stored them");
        JsonNode layers = awaitProfiles(before, accepted);
        say("    bronze: %,d raw events; silver: %,d customers (%,d merged), %,d identities, %,d transactions, %,d interactions;",
                layers.path("rawEvents").asLong(), layers.path("customers").asLong(), layers.path("mergedCustomers").asLong(),
                layers.path("identities").asLong(), layers.path("transactions").asLong(), layers.path("interactions").asLong());
        say("    gold: %,d customers with facts; %,d quality issues recorded", layers.path("customersWithFacts").asLong(),
                layers.path("qualityIssues").asLong());

        say("4/7 creating the example segments and evaluating them");
        Map<String, String> segmentIds = new LinkedHashMap<>();
        for (JsonNode example : get(segments + "/segments/examples")) {
            String id = segment(example);
            JsonNode evaluation = send("POST", segments + "/segments/" + id + "/refresh", null, null);
            segmentIds.put(example.path("name").asText(), id);
            say("    %-42s %,7d members (%,d entered, %,d exited, %d ms)", example.path("name").asText(), evaluation.path("size").asLong(),
                    evaluation.path("entered").asLong(), evaluation.path("exited").asLong(), evaluation.path("durationMs").asLong());
        }

        String exported = segmentIds.get(EXPORTED_SEGMENT);
        say("5/7 exporting \"%s\" to Meta, Google and TikTok", EXPORTED_SEGMENT);
        Path files = Files.createDirectories(out.resolve("exports"));
        List<String> jobs = new ArrayList<>();
        for (String platform : List.of("META", "GOOGLE", "TIKTOK")) {
            ObjectNode request = json.createObjectNode().put("segmentId", exported).put("platform", platform).put("delivery", "FILE")
                    .put("requestedBy", "demo");
            jobs.add(send("POST", exports + "/exports", request, null).path("id").asText());
        }
        for (String id : jobs) {
            JsonNode job = awaitExport(id);
            JsonNode progress = job.path("progress");
            if (!job.path("status").asText().equals("SUCCEEDED")) {
                throw new IllegalStateException("export " + id + " " + job.path("status").asText() + ": " + job.path("error").asText());
            }
            Path file = files.resolve(job.path("file").path("name").asText());
            download(exports + "/exports/" + id + "/file", file);
            say("    %-6s %,d read, %,d written, %,d without ad consent, %,d without a usable identifier, %,d invalid phones",
                    job.path("platform").asText(), progress.path("rowsRead").asLong(), progress.path("rowsWritten").asLong(),
                    progress.path("skippedNoConsent").asLong(), progress.path("skippedNoIdentifier").asLong(), progress.path("invalidPhones").asLong());
            say("           coverage %s", coverage(progress));
            say("           %s", file.toAbsolutePath());
        }
        syncToWebhook();
    }

    /**
     * Keeps a segment in sync with a webhook: a receiver on this machine verifies each request's Standard Webhooks
     * signature and prints what it got; a customer identified over HTTP enters the segment; the add arrives.
     */
    private void syncToWebhook() throws Exception {
        say("6/7 keeping a segment in sync with a webhook");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/audiences", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean verified = id != null && timestamp != null && signature != null && signature.equals("v1," + sign(key, id, timestamp, body));
            exchange.sendResponseHeaders(verified ? 204 : 401, -1);
            exchange.close();
            if (verified) {
                received.add(json.readTree(body));
            } else {
                say("    receiver: refused a request whose signature does not verify");
            }
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/audiences";
            String destination = webhookDestination(url, secret);
            String segment = segment(json.createObjectNode().put("name", "Demo: webhook VIPs").put("description", "Customers tagged for the webhook demo")
                    .set("definition", json.createObjectNode().put("type", "profile").put("field", "tier").put("operator", "eq").put("value", "DEMO-VIP")));
            send("POST", segments + "/segments/" + segment + "/refresh", null, null);
            String sync = sync(segment, destination);
            poll(Duration.ofMillis(200), "the sync's first run", () -> get(exports + "/syncs/" + sync + "/runs?limit=1"),
                    runs -> runs.size() > 0 && List.of("SUCCEEDED", "PARTIAL", "FAILED").contains(runs.get(0).path("status").asText()));
            received.clear();
            say("    receiver %s, destination %s, sync %s (MIRROR, on change)", url, destination, sync);

            String userId = "demo-vip-" + System.currentTimeMillis();
            String email = userId + "@example.com";
            ObjectNode identify = json.createObjectNode().put("userId", userId);
            identify.putObject("traits").put("email", email).put("segment", "demo-vip").put("firstName", "Ayşe");
            identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
            long sent = System.nanoTime();
            send("POST", ingestion + "/v1/identify", identify, basic("app"));
            say("    identified %s with tier DEMO-VIP and advertising consent over HTTP", userId);
            String emailHash = sha256(email);
            awaitMember(received, "audience.members.added", emailHash, sent, "the identify call");
            erase(email, emailHash, received);
        } finally {
            receiver.stop(0);
        }
    }

    /** Waits until the receiver got a request of {@code type} naming the member with this email hash. */
    private static void awaitMember(BlockingQueue<JsonNode> received, String type, String emailHash, long since, String after)
            throws InterruptedException {
        while (true) {
            JsonNode request = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (request == null) {
                throw new IllegalStateException("the webhook received no " + type + " within " + WAIT);
            }
            JsonNode members = request.path("data").path("members");
            say("    receiver: %s, %d member(s), signature verified", request.path("type").asText(), members.size());
            for (JsonNode member : members) {
                if (request.path("type").asText().equals(type) && member.path("email").asText().equals(emailHash)) {
                    say("    it arrived %d ms after %s: customer %s, email hash %s...", Duration.ofNanos(System.nanoTime() - since).toMillis(),
                            after, member.path("customerId").asText(), emailHash.substring(0, 12));
                    return;
                }
            }
        }
    }

    /** The customer asks to be forgotten: erased by email, followed until complete, and removed at the webhook. */
    private void erase(String email, String emailHash, BlockingQueue<JsonNode> received) throws IOException, InterruptedException {
        say("7/7 erasing that customer, who asked to be forgotten");
        long asked = System.nanoTime();
        JsonNode erasure = send("POST", profiles + "/privacy/erasures", json.createObjectNode().put("email", email), null);
        say("    erasure %s: %d customer(s), %d identifier(s) suppressed at once", erasure.path("id").asText(),
                erasure.path("customers").asInt(), erasure.path("suppressedIdentifiers").asInt());
        awaitMember(received, "audience.members.removed", emailHash, asked, "the erasure was asked for");
        String[] step = {""};
        JsonNode done = poll(Duration.ofMillis(500), "erasure " + erasure.path("id").asText() + " completing",
                () -> get(profiles + "/privacy/erasures/" + erasure.path("id").asText()), state -> {
                    if (!state.path("step").asText().equals(step[0])) {
                        step[0] = state.path("step").asText();
                        say("    step %s", step[0]);
                    }
                    return state.path("status").asText().equals("COMPLETED");
                });
        JsonNode progress = done.path("progress");
        int rows = 0;
        for (JsonNode deleted : progress.path("profile").path("rowsDeleted")) {
            rows += deleted.asInt();
        }
        say("    completed in %d ms: %d rows deleted from the profile, %d export file row(s) removed, %d synced audience row(s) removed",
                Duration.ofNanos(System.nanoTime() - asked).toMillis(), rows,
                progress.path("exports").path("files").path("counts").path("rowsRemoved").asLong(),
                progress.path("exports").path("audiences").path("heldAtStart").asLong());
    }

    /** The demo's webhook destination, pointed at this run's receiver with this run's secret. */
    private String webhookDestination(String url, String secret) throws IOException, InterruptedException {
        ObjectNode settings = json.createObjectNode().put("url", url);
        ObjectNode credentials = json.createObjectNode().put("signingSecret", secret);
        for (JsonNode destination : get(exports + "/destinations")) {
            if (destination.path("name").asText().equals(WEBHOOK_NAME)) {
                ObjectNode change = json.createObjectNode();
                change.set("settings", settings);
                change.set("credentials", credentials);
                send("PATCH", exports + "/destinations/" + destination.path("id").asText(), change, null);
                return destination.path("id").asText();
            }
        }
        ObjectNode create = json.createObjectNode().put("name", WEBHOOK_NAME).put("kind", "WEBHOOK");
        create.set("settings", settings);
        create.set("credentials", credentials);
        return send("POST", exports + "/destinations", create, null).path("id").asText();
    }

    private String sync(String segment, String destination) throws IOException, InterruptedException {
        for (JsonNode sync : get(exports + "/syncs?segmentId=" + segment + "&destinationId=" + destination)) {
            return sync.path("id").asText();
        }
        ObjectNode create = json.createObjectNode().put("segmentId", segment).put("destinationId", destination).put("mode", "MIRROR")
                .put("trigger", "ON_CHANGE");
        return send("POST", exports + "/syncs", create, null).path("id").asText();
    }

    private static String sign(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long importFile(Path file, String kind) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestion + "/v1/import?kind=" + kind)).header("Authorization", basic("pos"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        JsonNode answer = answer(request);
        say("    %-12s %,d accepted, %,d rejected%s", kind, answer.path("accepted").asLong(), answer.path("rejected").asLong(),
                answer.path("rejected").asLong() == 0 ? "" : " (first: line " + answer.path("errors").path(0).path("line").asText() + ", "
                        + answer.path("errors").path(0).path("field").asText() + " " + answer.path("errors").path(0).path("detail").asText() + ")");
        return answer.path("accepted").asLong();
    }

    /**
     * Events as Segment calls, as a website's or an app's library sends them: page views as page calls with the page's
     * name and, for a visit that came from an ad, the campaign's UTM values in the context; the rest as track calls. In
     * batches of 500 per channel, each channel with its own source's write key.
     */
    private long sendEvents(Path file) throws IOException, InterruptedException {
        Map<String, ArrayNode> batches = new LinkedHashMap<>();
        long accepted = 0;
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = json.readTree(line);
                String channel = event.path("channel").asText();
                ObjectNode track = json.createObjectNode().put("messageId", event.path("event_id").asText())
                        .put("userId", event.path("customer_id").asText()).put("timestamp", event.path("timestamp").asText());
                if (event.has("page_name")) {
                    track.put("type", "page").put("name", event.path("page_name").asText());
                } else {
                    track.put("type", "track").put("event", event.path("event").asText());
                }
                track.set("properties", event.path("properties"));
                ObjectNode context = track.putObject("context").put("channel", channel);
                if (event.has("campaign")) {
                    context.set("campaign", event.path("campaign"));
                }
                ArrayNode batch = batches.computeIfAbsent(channel, c -> json.createArrayNode());
                batch.add(track);
                if (batch.size() == BATCH) {
                    accepted += sendBatch(channel, batch);
                    batch.removeAll();
                }
            }
        }
        for (Map.Entry<String, ArrayNode> batch : batches.entrySet()) {
            if (!batch.getValue().isEmpty()) {
                accepted += sendBatch(batch.getKey(), batch.getValue());
            }
        }
        say("    %-12s %,d accepted", "events", accepted);
        return accepted;
    }

    private long sendBatch(String channel, ArrayNode batch) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.set("batch", batch);
        return send("POST", ingestion + "/v1/batch", body, basic(channel.equals("app") ? "app" : "web")).path("accepted").asLong();
    }

    /**
     * Waits until the raw events grew by what was accepted (a first run) or stopped growing for 5 s (a repeated run,
     * whose messages profile-service recognizes and does not store again).
     */
    private JsonNode awaitProfiles(long before, long accepted) throws IOException, InterruptedException {
        long[] last = {-1, System.nanoTime()}; // the count last seen, and since when
        return poll(Duration.ofMillis(500), "profile-service storing the messages", this::stats, layers -> {
            long stored = layers.path("rawEvents").asLong();
            if (stored != last[0]) {
                last[0] = stored;
                last[1] = System.nanoTime();
                say("    %,d of %,d stored", stored - before, accepted);
            }
            return stored >= before + accepted || System.nanoTime() - last[1] > Duration.ofSeconds(5).toNanos();
        });
    }

    private JsonNode stats() throws IOException, InterruptedException {
        return get(profiles + "/profiles/stats");
    }

    /** Creates the example segment, or finds it when a previous run created it (names are unique). */
    private String segment(JsonNode example) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(segments + "/segments")).header("Content-Type", "application/json")
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofString(example.toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
            return json.readTree(response.body()).path("id").asText();
        }
        if (response.statusCode() != 409) {
            throw failed(request, response);
        }
        String name = example.path("name").asText().toLowerCase(Locale.ROOT);
        for (JsonNode segment : get(segments + "/segments")) {
            if (segment.path("name").asText().toLowerCase(Locale.ROOT).equals(name)) {
                return segment.path("id").asText();
            }
        }
        throw new IllegalStateException("segment " + example.path("name").asText() + " exists but is not listed");
    }

    private JsonNode awaitExport(String id) throws IOException, InterruptedException {
        return poll(Duration.ofMillis(200), "export " + id + " finishing", () -> get(exports + "/exports/" + id),
                job -> List.of("SUCCEEDED", "FAILED").contains(job.path("status").asText()));
    }

    /** A read over HTTP that may fail. */
    private interface Reading {
        JsonNode read() throws IOException, InterruptedException;
    }

    /**
     * Reads every {@code interval} until {@code done} holds, for at most {@link #WAIT}. The services offer no
     * notification to wait on, so their state is polled.
     */
    private static JsonNode poll(Duration interval, String what, Reading reading, Predicate<JsonNode> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode value = reading.read();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + WAIT.toMinutes() + " minutes");
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private void download(String url, Path file) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer).GET().build();
        HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
    }

    /** The share of written rows that carry each identifier, in the order the platforms' files list them. */
    private static String coverage(JsonNode progress) {
        long written = Math.max(1, progress.path("rowsWritten").asLong());
        StringBuilder shares = new StringBuilder();
        for (String identifier : List.of("EMAIL", "PHONE", "FIRST_NAME", "LAST_NAME", "ZIP", "CITY", "STATE", "COUNTRY", "BIRTH_YEAR", "GENDER")) {
            JsonNode rows = progress.path("coverage").path(identifier);
            if (!rows.isMissingNode()) {
                shares.append(shares.length() == 0 ? "" : ", ").append(identifier.toLowerCase(Locale.ROOT)).append(' ')
                        .append(100 * rows.asLong() / written).append('%');
            }
        }
        return shares.length() == 0 ? "(no rows)" : shares.toString();
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return send("GET", url, null, null);
    }

    private JsonNode send(String method, String url, JsonNode body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).header("Accept", "application/json")
                .header("Authorization", authorization != null ? authorization : bearer);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return answer(request.build());
    }

    private JsonNode answer(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw failed(request, response);
        }
        return json.readTree(response.body());
    }

    private static IllegalStateException failed(HttpRequest request, HttpResponse<String> response) {
        return new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }

    private String basic(String source) {
        String key = writeKeys.get(source);
        if (key == null) {
            throw new IllegalStateException("no write key made for source " + source);
        }
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
