import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The load of bench/conversions.sh, through ingestion-service's real endpoints:
 *
 * <ul>
 *   <li>{@code customers N}: N customers identified (email, advertising consent) in /v1/batch calls of 500;</li>
 *   <li>{@code burst N CONCURRENCY}: N POS transactions sent as fast as the intake takes them, 100 to a
 *       /v1/transactions call, CONCURRENCY calls at a time; prints the intake's rate;</li>
 *   <li>{@code rate RATE SECONDS WAIT [ROUND]}: RATE transactions a second for SECONDS (a call of RATE/20 every 50 ms, each at
 *       its own moment), noting when each call was accepted; then follows the Meta stub's arrivals file (event_id,
 *       epoch ms) until every transaction's conversion arrived or WAIT seconds passed, and prints the latencies
 *       (ROUND, default rate, names the round in the transaction ids, so a warm-up round brings other ones).</li>
 * </ul>
 *
 * <p>Usage (compiled with Arrivals.java): java ConversionLoad INGESTION_URL WRITE_KEY RUN CUSTOMERS ARRIVALS_FILE MODE ARGS...
 * (transactions name the customers RUN-c-0 ... by email; RUN keeps runs apart)
 */
public class ConversionLoad {

    private static final int PER_CALL = 100;

    public static void main(String[] args) throws Exception {
        String ingestion = args[0];
        String authorization = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
        String run = args[2];
        int customers = Integer.parseInt(args[3]);
        Path arrivals = Path.of(args[4]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true); // a failure in main ends the run
            return thread;
        })).build();
        Load load = new Load(http, ingestion, authorization, run, customers);
        switch (args[5]) {
            case "customers" -> load.identify();
            case "burst" -> load.burst(Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "rate" -> {
                boolean all = load.rate(Integer.parseInt(args[6]), Integer.parseInt(args[7]), Long.parseLong(args[8]) * 1000, arrivals,
                        args.length > 9 ? args[9] : "rate");
                System.out.printf("load client : %.1f s of CPU (this program, on the same machine)%n",
                        ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis() / 1000.0);
                System.exit(all ? 0 : 1);
            }
            default -> throw new IllegalArgumentException("mode: customers, burst or rate");
        }
        System.exit(0);
    }

    private record Load(HttpClient http, String ingestion, String authorization, String run, int customers) {

        void identify() {
            for (int from = 0; from < customers; from += 500) {
                StringBuilder batch = new StringBuilder("{\"batch\": [");
                for (int i = from; i < Math.min(customers, from + 500); i++) {
                    batch.append(i == from ? "" : ",").append("""
                            {"type": "identify", "userId": "%1$s-c-%2$d", "traits": {"email": "%1$s-c-%2$d@example.com", "firstName": "Ayşe",
                             "phone": "+90532%3$07d"}, "context": {"consent": {"categoryPreferences": {"advertising": true}}}}"""
                            .formatted(run, i, i % 10_000_000));
                }
                post("/v1/batch", batch.append("]}").toString()).join();
            }
            System.out.printf("customers   : %d identified with advertising consent%n", customers);
        }

        void burst(int transactions, int concurrency) throws InterruptedException {
            Semaphore slots = new Semaphore(concurrency);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            long start = System.nanoTime();
            for (int sent = 0; sent < transactions; sent += PER_CALL) {
                slots.acquire();
                calls.add(post("/v1/transactions", transactions("burst", sent, PER_CALL, null)).whenComplete((done, failure) -> slots.release()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("intake      : %d transactions in %.2f s, %.0f/s (%d at a time, %d a call)%n", transactions, seconds,
                    transactions / seconds, concurrency, PER_CALL);
        }

        boolean rate(int rate, int seconds, long waitMillis, Path arrivalsFile, String round) throws Exception {
            int perCall = Math.max(1, rate / 20);
            int calls = rate * seconds / perCall;
            Map<String, Long> accepted = new ConcurrentHashMap<>(); // event id -> when its call was accepted
            List<Long> callMillis = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicLong lastSent = new java.util.concurrent.atomic.AtomicLong();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                int first = i * perCall;
                List<String> ids = new ArrayList<>(perCall);
                String body = transactions(round, first, perCall, ids);
                CompletableFuture<Void> call = new CompletableFuture<>();
                done.add(call);
                pace.schedule(() -> {
                    long sentAt = System.nanoTime();
                    lastSent.accumulateAndGet(sentAt, Math::max);
                    post("/v1/transactions", body).whenComplete((response, failure) -> {
                    if (failure != null) {
                        call.completeExceptionally(failure);
                        return;
                    }
                    callMillis.add((System.nanoTime() - sentAt) / 1_000_000);
                    long at = System.currentTimeMillis();
                    ids.forEach(id -> accepted.put(id, at));
                    call.complete(null);
                    });
                }, (long) (i * 50e6), TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
            pace.shutdown();
            double sendSeconds = (lastSent.get() - start) / 1e9;
            int expected = calls * perCall;

            System.out.printf("sent        : %d transactions in %.1f s (%.0f/s), all accepted%n", expected, sendSeconds, expected / sendSeconds);
            long[] answers = callMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("intake      : a call of %d answered in p50 %d ms, p99 %d ms, max %d ms%n", perCall, answers[answers.length / 2],
                    answers[Math.max(0, (int) Math.ceil(answers.length * 0.99) - 1)], answers[answers.length - 1]);
            if (waitMillis == 0) {
                return true; // forwarding off: nothing to wait for
            }
            return Arrivals.report(accepted, Arrivals.follow(arrivalsFile, accepted, waitMillis), "conversions",
                    "accepted at the intake -> at the Meta stub");
        }

        /** COUNT transactions numbered from FIRST as one /v1/transactions array; their event ids go into IDS when given. */
        private String transactions(String phase, int first, int count, List<String> ids) {
            StringBuilder body = new StringBuilder("[");
            for (int i = first; i < first + count; i++) {
                String transactionId = run + "-" + phase + "-" + i;
                if (ids != null) {
                    ids.add("transaction-" + transactionId);
                }
                body.append(i == first ? "" : ",").append("""
                        {"transactionId": "%s", "email": "%s-c-%d@example.com", "transactionType": "%s", "amount": "%d.%02d",
                         "currency": "TRY", "storeId": "IST-%03d", "items": [{"sku": "FUEL-95", "quantity": 30.5, "unitPrice": 43.19}]}"""
                        .formatted(transactionId, run, i % customers, i % 3 == 0 ? "MARKET" : "FUEL", 100 + i % 2000, i % 100, i % 250));
            }
            return body.append(']').toString();
        }

        private CompletableFuture<Void> post(String path, String body) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingestion + path)).header("Authorization", authorization)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                if (response.statusCode() != 200 || response.body().contains("\"rejected\":") && !response.body().contains("\"rejected\":0")) {
                    throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
                }
            });
        }
    }
}
