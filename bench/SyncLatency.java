import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
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
 * <p>Usage (compiled with Arrivals.java): java SyncLatency INGESTION_URL WRITE_KEY TIER ARRIVALS_FILE CUSTOMERS RATE WAIT ROUND
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

        System.out.printf("sent        : %d identify calls in %.1f s (%.0f/s), all accepted%n", customers, sendSeconds, customers / sendSeconds);
        boolean all = Arrivals.report(accepted, Arrivals.follow(arrivalsFile, accepted, waitMillis), "adds",
                "accepted identify call -> add at the stub");
        System.exit(all ? 0 : 1);
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
