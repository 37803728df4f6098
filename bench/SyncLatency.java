import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event-to-platform latency of an on-change sync (bench/sync-latency.sh): sends CUSTOMERS identify calls to
 * ingestion-service at RATE a second, each giving a new customer the segment's tier, an email and advertising consent,
 * and notes when each call was accepted (HTTP 200). Then follows the Meta stub's arrivals file (EMAIL hash, epoch ms)
 * until every customer's add arrived or WAIT seconds passed, and prints the latencies.
 *
 * <p>Usage: java bench/SyncLatency.java INGESTION_URL WRITE_KEY TIER ARRIVALS_FILE CUSTOMERS RATE WAIT ROUND
 * (ROUND names the round in the customers' ids, so a warm-up round and the measured one bring different customers)
 */
public class SyncLatency {

    public static void main(String[] args) throws Exception {
        String ingestion = args[0];
        String authorization = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
        String tier = args[2];
        Path arrivalsFile = Path.of(args[3]);
        int customers = Integer.parseInt(args[4]);
        double rate = Double.parseDouble(args[5]);
        long waitMillis = Long.parseLong(args[6]) * 1000;
        String round = args[7];

        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> accepted = new ConcurrentHashMap<>(); // email hash -> when the identify call was accepted
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        // Each call is scheduled at its own moment (i / rate), so a slow answer never delays the calls after it.
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        for (int i = 0; i < customers; i++) {
            String userId = tier + "-" + round + "-" + i;
            CompletableFuture<Void> call = new CompletableFuture<>();
            calls.add(call);
            pace.schedule(() -> identify(http, ingestion, authorization, tier, userId, accepted).whenComplete((done, failure) -> {
                if (failure != null) {
                    call.completeExceptionally(failure);
                } else {
                    call.complete(null);
                }
            }), (long) (i * 1e9 / rate), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        pace.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, Long> arrived = new HashMap<>();
        long deadline = System.currentTimeMillis() + waitMillis;
        try (BufferedReader lines = Files.newBufferedReader(arrivalsFile, StandardCharsets.UTF_8);
                WatchService changes = FileSystems.getDefault().newWatchService()) {
            arrivalsFile.toAbsolutePath().getParent().register(changes, StandardWatchEventKinds.ENTRY_MODIFY);
            while (arrived.size() < customers && System.currentTimeMillis() < deadline) {
                String line = lines.readLine();
                if (line == null) { // at the end of what the stub wrote: wait until it writes more, or the deadline
                    WatchKey changed = changes.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (changed != null) {
                        changed.pollEvents();
                        changed.reset();
                    }
                    continue;
                }
                String[] fields = line.split("\t");
                if (accepted.containsKey(fields[0])) {
                    arrived.putIfAbsent(fields[0], Long.parseLong(fields[1]));
                }
            }
        }
        long[] latencies = arrived.entrySet().stream().mapToLong(entry -> entry.getValue() - accepted.get(entry.getKey())).sorted().toArray();
        System.out.printf("sent        : %d identify calls in %.1f s (%.0f/s), all accepted%n", customers, sendSeconds, customers / sendSeconds);
        System.out.printf("arrived     : %d of %d adds at the Meta stub%n", latencies.length, customers);
        if (latencies.length > 0) {
            System.out.printf("latency     : p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (accepted identify call -> add at the stub)%n",
                    percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), latencies[latencies.length - 1]);
        }
        System.exit(latencies.length == customers ? 0 : 1);
    }

    /** One identify call giving a new customer the tier, an email and advertising consent; notes when it was accepted. */
    private static CompletableFuture<Void> identify(HttpClient http, String ingestion, String authorization, String tier, String userId,
            Map<String, Long> accepted) {
        String email = userId + "@example.com";
        String body = """
                {"userId": "%s", "traits": {"segment": "%s", "email": "%s"},
                 "context": {"consent": {"categoryPreferences": {"advertising": true}}}}""".formatted(userId, tier, email);
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestion + "/v1/identify")).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String hash = sha256(email);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("identify answered " + response.statusCode() + ": " + response.body());
            }
            accepted.put(hash, System.currentTimeMillis());
        });
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
