import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's traffic: {@code /v1/batch} requests of 50 messages at a steady rate (open loop), mixed as a retail and
 * fuel chain's are: 70% track calls, 20% identify calls, 10% sales at the till, over a pool of customers. Every
 * messageId starts with the run's tag, so the script can reconcile what was accepted with what was stored. Prints a
 * line every 30 s and the totals at the end: {@code accepted=N tracks=N identifies=N sales=N refused=N failed=N}.
 * Usage: Soak INGESTION_URL WRITE_KEY RUN RATE SECONDS CUSTOMERS
 */
public final class Soak {

    private static final int BATCH = 50;

    public static void main(String[] args) throws Exception {
        String ingestion = args[0];
        String authorization = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
        String run = args[2];
        int rate = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        int customers = Integer.parseInt(args[5]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Random random = new Random(42);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] kinds = new long[3];
        Semaphore inFlight = new Semaphore(64);
        long intervalNanos = 1_000_000_000L * BATCH / rate;
        long start = System.nanoTime();
        long nextReport = start + 30_000_000_000L;
        long sequence = 0;
        for (long due = start; due < start + seconds * 1_000_000_000L; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            StringBuilder body = new StringBuilder(BATCH * 200).append("{\"batch\": [");
            int[] batchKinds = new int[3];
            for (int i = 0; i < BATCH; i++) {
                String userId = run + "-c" + random.nextInt(customers);
                String messageId = run + "-" + sequence++;
                int roll = random.nextInt(10);
                if (i > 0) {
                    body.append(',');
                }
                if (roll < 7) {
                    batchKinds[0]++;
                    body.append("{\"type\": \"track\", \"messageId\": \"%s\", \"userId\": \"%s\", \"event\": \"%s\", \"properties\": {\"sku\": \"SKU-%d\"}}"
                            .formatted(messageId, userId, random.nextBoolean() ? "product_view" : "fuel_price_view", random.nextInt(500)));
                } else if (roll < 9) {
                    batchKinds[1]++;
                    body.append("{\"type\": \"identify\", \"messageId\": \"%s\", \"userId\": \"%s\", \"traits\": {\"email\": \"%s@example.com\", \"address\": {\"city\": \"%s\"}}, \"context\": {\"consent\": {\"categoryPreferences\": {\"advertising\": %s}}}}"
                            .formatted(messageId, userId, userId, random.nextBoolean() ? "İstanbul" : "Ankara", random.nextBoolean()));
                } else {
                    batchKinds[2]++;
                    BigDecimal amount = BigDecimal.valueOf(random.nextInt(500_000), 2).setScale(2, RoundingMode.UNNECESSARY);
                    body.append("{\"type\": \"transaction\", \"messageId\": \"%s\", \"userId\": \"%s\", \"transactionId\": \"%s\", \"transactionType\": \"%s\", \"amount\": %s, \"currency\": \"TRY\", \"storeId\": \"ST-%d\"}"
                            .formatted(messageId, userId, messageId, random.nextBoolean() ? "FUEL" : "MARKET", amount.toPlainString(), random.nextInt(40)));
                }
            }
            body.append("]}");
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingestion + "/v1/batch")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            inFlight.acquire();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, e) -> {
                inFlight.release();
                if (e == null && response.statusCode() == 200) {
                    accepted.addAndGet(BATCH);
                    synchronized (kinds) {
                        for (int k = 0; k < 3; k++) {
                            kinds[k] += batchKinds[k];
                        }
                    }
                } else if (e == null && response.statusCode() == 503) {
                    refused.addAndGet(BATCH);
                } else {
                    failed.addAndGet(BATCH);
                }
            });
            if (System.nanoTime() >= nextReport) {
                System.err.printf("  %4d s: %d messages accepted%n", (System.nanoTime() - start) / 1_000_000_000L, accepted.get());
                nextReport += 30_000_000_000L;
            }
        }
        inFlight.acquire(64);
        synchronized (kinds) {
            System.out.printf("accepted=%d tracks=%d identifies=%d sales=%d refused=%d failed=%d%n", accepted.get(), kinds[0], kinds[1], kinds[2],
                    refused.get(), failed.get());
        }
    }
}
