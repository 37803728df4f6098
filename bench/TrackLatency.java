import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The end-to-end latency of bench/track-latency.sh: single-event {@code POST /v1/track} calls at a steady rate, each
 * followed to profile-service's stored event ({@code cdp.events.stored}, by messageId) and, for a customer's first
 * track, to segment-service's ENTERED change of the segment the event puts them in ({@code cdp.segments.membership},
 * by customerId).
 *
 * <ul>
 *   <li>{@code customers INGESTION WRITE_KEY PREFIX COUNT}: COUNT customers PREFIX-0 ... identified in /v1/batch calls
 *       of 500;</li>
 *   <li>{@code run INGESTION WRITE_KEY RUN BOOTSTRAP SEGMENT_ID EVENT CUSTOMER_MAP RATE SECONDS WARMUP GRACE}: tracks of
 *       EVENT at RATE a second, WARMUP seconds of warm-up (customers RUN-w-*, not counted) and then SECONDS measured
 *       (each customer RUN-c-* gets its first track at its own evenly spaced moment; the other tracks repeat customers
 *       already in the segment); then waits up to GRACE seconds after the last answer for what is still to arrive,
 *       and prints the figures. CUSTOMER_MAP: "userId TAB customerId" lines, as profile-service stored them.</li>
 * </ul>
 *
 * <p>The calls go through Vert.x's HTTP client on one event loop (compiled and run with ingestion-service's own
 * libraries): java.net.http spent about 580 µs of CPU a call on this machine, which at 5,000 calls a second is more
 * than its two cores; an open loop needs the load generator to stay a small share of the machine.
 */
public class TrackLatency {

    private static final String STORED = "cdp.events.stored";
    private static final String MEMBERSHIP = "cdp.segments.membership";
    /** Connections to the intake at most; calls beyond them wait in the client's queue, their wait counted in the answer time. */
    private static final int MAX_CONNECTIONS = 512;

    public static void main(String[] args) {
        try {
            main0(args);
        } catch (Throwable failure) { // Vert.x's threads would keep the JVM alive
            failure.printStackTrace();
            System.exit(2);
        }
    }

    private static void main0(String[] args) throws Exception {
        URI ingestion = URI.create(args[1]);
        String authorization = "Basic " + Base64.getEncoder().encodeToString((args[2] + ":").getBytes(StandardCharsets.UTF_8));
        // One event loop sends, paces and notes the answers; the blocked-thread warnings would only be noise on a busy machine.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(ingestion.getHost()).setDefaultPort(ingestion.getPort())
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(-1));
        MultiMap headers = HttpHeaders.headers().add(HttpHeaders.AUTHORIZATION, authorization).add(HttpHeaders.CONTENT_TYPE, "application/json");
        switch (args[0]) {
            case "customers" -> identify(http, headers, args[3], Integer.parseInt(args[4]));
            case "run" -> {
                Run run = new Run(vertx, http, headers, args[3], args[4], args[5], args[6], Path.of(args[7]),
                        Integer.parseInt(args[8]), Integer.parseInt(args[9]), Integer.parseInt(args[10]), Integer.parseInt(args[11]));
                boolean complete = run.run();
                System.exit(complete ? 0 : 1);
            }
            default -> throw new IllegalArgumentException("mode: customers or run");
        }
        System.exit(0);
    }

    private static void identify(HttpClient http, MultiMap headers, String prefix, int count) throws Exception {
        for (int from = 0; from < count; from += 500) {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int i = from; i < Math.min(count, from + 500); i++) {
                batch.append(i == from ? "" : ",").append("""
                        {"type": "identify", "userId": "%1$s-%2$d", "traits": {"firstName": "Ayşe", "city": "İstanbul", "tier": "bench"}}"""
                        .formatted(prefix, i));
            }
            Answer answer = post(http, headers, "/v1/batch", batch.append("]}").toString()).toCompletionStage().toCompletableFuture().join();
            if (answer.status() != 200 || !answer.body().contains("\"rejected\":0")) {
                throw new IllegalStateException("/v1/batch answered " + answer.status() + ": " + answer.body());
            }
        }
        System.out.printf("customers   : %d identified (%s-*)%n", count, prefix);
    }

    private record Answer(int status, String body) {
    }

    /** One POST; fails when the intake cannot be reached or is silent for 30 s. */
    private static Future<Answer> post(HttpClient http, MultiMap headers, String path, String body) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setHeaders(headers).setIdleTimeout(30_000);
        return http.request(request).compose(call -> call.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer.toString())));
    }

    private static final class Run {
        private final Vertx vertx;
        private final HttpClient http;
        private final MultiMap headers;
        private final String run;
        private final String bootstrap;
        private final String segmentId;
        private final String event;
        private final int rate;
        private final int seconds;
        private final long graceMillis;
        private final String messagePrefix;

        /** Customers by number: the warm-up ones first (RUN-w-k), then the measured ones (RUN-c-i). */
        private final String[] userIds;
        private final String[] customerIds;
        private final Map<String, Integer> measuredByCustomerId = new HashMap<>();
        private final int warm;
        private final int measured;

        /** Slots: one track each, at start + slot / rate; the measured ones from warmSlots on. */
        private final int warmSlots;
        private final int totalSlots;
        private final int[] firstOf; // measured slot -> the measured customer whose first track it is, or -1
        private final int[] customerOf; // slot -> customer number
        private final long[] sentAt; // slot -> epoch ms the call was sent
        private final long[] acceptedAt; // slot -> epoch ms of the 200, 0 until then
        private final int[] answerMicros;
        private final long[] storedAt; // slot -> the stored event's record timestamp (epoch ms), 0 until it arrives
        private final long[] storedReadAt; // slot -> when this client read it
        private final long[] enteredAt; // measured customer -> the ENTERED record's timestamp
        private final long[] enteredReadAt;
        private final int[] firstSlot; // measured customer -> their first track's slot

        /** Customers a repeat track may name: every warm-up customer, and measured ones once their first track was accepted. */
        private final int[] eligible;
        private int eligibleCount;

        // The event loop's own state (the pacing and the answers), read by the main thread once allAnswered is open.
        private long start;
        private int next;
        private long firstMeasuredSend;
        private long lastSend;
        private long maxBehind;
        private int behindOver10ms;
        private int inFlight;
        private int maxInFlight;
        private int answered;
        private long lastAnswerAt;
        private long[] measuredCpu;
        private long[] cpuAfter;
        private Map<String, Long> processCpu;
        private Map<String, Long> processCpuAfter;
        private final List<String> failures = new ArrayList<>();
        private final CountDownLatch allAnswered = new CountDownLatch(1);

        // The Kafka reader's.
        private final AtomicInteger storedMatched = new AtomicInteger();
        private final AtomicInteger enteredMatched = new AtomicInteger();
        /** Signalled after every poll that brought records, for the grace wait. */
        private final Object matched = new Object();
        private final AtomicInteger wrongCustomer = new AtomicInteger();
        private volatile boolean consuming = true;

        Run(Vertx vertx, HttpClient http, MultiMap headers, String run, String bootstrap, String segmentId, String event,
                Path customerMap, int rate, int seconds, int warmup, int grace) throws IOException {
            this.vertx = vertx;
            this.http = http;
            this.headers = headers;
            this.run = run;
            this.bootstrap = bootstrap;
            this.segmentId = segmentId;
            this.event = event;
            this.rate = rate;
            this.seconds = seconds;
            this.graceMillis = grace * 1000L;
            this.messagePrefix = run + "-t-";

            Map<String, String> customerOfUser = new HashMap<>();
            for (String line : Files.readAllLines(customerMap)) {
                String[] fields = line.split("\t");
                if (fields.length == 2) {
                    customerOfUser.put(fields[0], fields[1]);
                }
            }
            int w = 0;
            int m = 0;
            while (customerOfUser.containsKey(run + "-w-" + w)) {
                w++;
            }
            while (customerOfUser.containsKey(run + "-c-" + m)) {
                m++;
            }
            if (w == 0 || m == 0 || w + m != customerOfUser.size()) {
                throw new IllegalStateException("the customer map must name " + run + "-w-0... and " + run + "-c-0... without gaps");
            }
            warm = w;
            measured = m;
            userIds = new String[w + m];
            customerIds = new String[w + m];
            for (int k = 0; k < w + m; k++) {
                userIds[k] = k < w ? run + "-w-" + k : run + "-c-" + (k - w);
                customerIds[k] = customerOfUser.get(userIds[k]);
                if (k >= w) {
                    measuredByCustomerId.put(customerIds[k], k - w);
                }
            }

            warmSlots = rate * warmup;
            int measuredSlots = rate * seconds;
            if (measured > measuredSlots) {
                throw new IllegalArgumentException(measured + " customers need at least as many tracks in the measured window, not " + measuredSlots);
            }
            totalSlots = warmSlots + measuredSlots;
            firstOf = new int[measuredSlots];
            Arrays.fill(firstOf, -1);
            firstSlot = new int[measured];
            for (int i = 0; i < measured; i++) { // evenly spaced: a steady share of first tracks through the window
                int slot = (int) ((long) i * measuredSlots / measured);
                firstOf[slot] = i;
                firstSlot[i] = warmSlots + slot;
            }
            customerOf = new int[totalSlots];
            sentAt = new long[totalSlots];
            acceptedAt = new long[totalSlots];
            answerMicros = new int[totalSlots];
            storedAt = new long[totalSlots];
            storedReadAt = new long[totalSlots];
            enteredAt = new long[measured];
            enteredReadAt = new long[measured];
            eligible = new int[warm + measured];
            for (int k = 0; k < warm; k++) {
                eligible[k] = k;
            }
            eligibleCount = warm;
        }

        boolean run() throws Exception {
            KafkaConsumer<byte[], byte[]> consumer = consumer();
            Thread reader = new Thread(() -> consume(consumer), "kafka-reader");
            reader.start();

            vertx.runOnContext(go -> {
                start = System.nanoTime();
                pace();
            });
            allAnswered.await();
            int measuredAccepted = 0;
            int firstsAccepted = 0;
            for (int slot = warmSlots; slot < totalSlots; slot++) {
                if (acceptedAt[slot] > 0) {
                    measuredAccepted++;
                    firstsAccepted += firstOf[slot - warmSlots] >= 0 ? 1 : 0;
                }
            }
            // Grace: what was accepted may still be on its way; stop early once everything arrived.
            long deadline = lastAnswerAt + graceMillis;
            synchronized (matched) {
                long left;
                while ((left = deadline - System.currentTimeMillis()) > 0
                        && (storedMatched.get() < measuredAccepted || enteredMatched.get() < firstsAccepted)) {
                    matched.wait(left);
                }
            }
            consuming = false;
            reader.join();

            int measuredSlots = totalSlots - warmSlots;
            double sendSeconds = (lastSend - firstMeasuredSend) / 1e9 + 1.0 / rate;
            System.out.printf("offered     : %d tracks in %.1f s = %.0f/s (scheduled %d/s for %d s after %d s of warm-up); sends up to %d ms behind schedule, %d more than 10 ms; at most %d calls in flight%n",
                    measuredSlots, sendSeconds, measuredSlots / sendSeconds, rate, seconds, warmSlots / rate, maxBehind / 1_000_000, behindOver10ms, maxInFlight);
            System.out.printf("mix         : %d first tracks (%.1f %%, %.0f/s, each customer's only first track, evenly spaced), the rest repeats of %d warm-up customers and of measured ones already accepted%n",
                    measured, 100.0 * measured / measuredSlots, measured / (double) seconds, warm);
            long[] answers = new long[measuredAccepted];
            for (int slot = warmSlots, n = 0; slot < totalSlots; slot++) {
                if (acceptedAt[slot] > 0) {
                    answers[n++] = answerMicros[slot];
                }
            }
            Arrays.sort(answers);
            System.out.printf("accepted    : %d of %d (HTTP 200), %d failed%s; answered in p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", measuredAccepted,
                    measuredSlots, measuredSlots - measuredAccepted, failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")",
                    percentile(answers, 50) / 1000.0, percentile(answers, 99) / 1000.0, answers.length == 0 ? 0 : answers[answers.length - 1] / 1000.0);

            long[] storedLatency = new long[measuredAccepted];
            long[] storedRead = new long[measuredAccepted];
            long[] storedFromSent = new long[measuredAccepted];
            long[] acceptedOrder = new long[measuredAccepted];
            int n = 0;
            for (int slot = warmSlots; slot < totalSlots; slot++) {
                if (acceptedAt[slot] > 0) {
                    boolean arrived = storedAt[slot] > 0;
                    storedLatency[n] = arrived ? storedAt[slot] - acceptedAt[slot] : Long.MAX_VALUE;
                    storedRead[n] = arrived ? storedReadAt[slot] - acceptedAt[slot] : Long.MAX_VALUE;
                    storedFromSent[n] = arrived ? storedAt[slot] - sentAt[slot] : Long.MAX_VALUE;
                    acceptedOrder[n++] = acceptedAt[slot];
                }
            }
            long[] enteredLatency = new long[firstsAccepted];
            long[] enteredRead = new long[firstsAccepted];
            long[] enteredFromSent = new long[firstsAccepted];
            long[] firstOrder = new long[firstsAccepted];
            n = 0;
            for (int i = 0; i < measured; i++) {
                long accepted = acceptedAt[firstSlot[i]];
                if (accepted > 0) {
                    boolean arrived = enteredAt[i] > 0;
                    enteredLatency[n] = arrived ? enteredAt[i] - accepted : Long.MAX_VALUE;
                    enteredRead[n] = arrived ? enteredReadAt[i] - accepted : Long.MAX_VALUE;
                    enteredFromSent[n] = arrived ? enteredAt[i] - sentAt[firstSlot[i]] : Long.MAX_VALUE;
                    firstOrder[n++] = accepted;
                }
            }
            long start0 = acceptedOrder.length == 0 ? 0 : Arrays.stream(acceptedOrder).min().getAsLong();
            boolean storedOk = figure("stored", "tracks stored in the profile (cdp.events.stored, by messageId)", storedLatency, storedRead, storedFromSent,
                    acceptedOrder, start0, "accepted -> profile-service's stored event, sent after its commit (record timestamp)");
            if (wrongCustomer.get() > 0) {
                System.out.printf("            : %d stored events named another customer than profile-service's map said%n", wrongCustomer.get());
            }
            boolean enteredOk = figure("segment", "first tracks entered the segment (cdp.segments.membership ENTERED, by customerId)", enteredLatency,
                    enteredRead, enteredFromSent, firstOrder, start0, "accepted first track -> segment-service's ENTERED, sent after its commit (record timestamp)");
            System.out.printf("cpu         : the machine %s while the measured window was sent%s%n", busy(measuredCpu, cpuAfter),
                    shares(measuredCpu, cpuAfter, processCpu, processCpuAfter));
            System.out.printf("load client : %.1f s of CPU (this program, on the same machine)%n",
                    ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis() / 1000.0);
            long storedP99 = percentile(sorted(storedLatency), 99);
            long enteredP99 = percentile(sorted(enteredLatency), 99);
            System.out.printf("target      : p99 < 2000 ms: stored %s, segment %s: %s%n", ms(storedP99), ms(enteredP99),
                    storedP99 < 2000 && enteredP99 < 2000 ? "met" : "NOT met");
            return storedOk && enteredOk && measuredAccepted == measuredSlots;
        }

        /** Prints one figure: how many arrived and the percentiles, an unmatched one counting as slower than any. */
        private boolean figure(String name, String what, long[] latency, long[] read, long[] fromSent, long[] acceptedAt, long start0, String path) {
            long unmatched = Arrays.stream(latency).filter(value -> value == Long.MAX_VALUE).count();
            System.out.printf("%-12s: %d of %d %s; %d unmatched after the %d s grace%n", name, latency.length - unmatched, latency.length, what, unmatched,
                    graceMillis / 1000);
            long[] sorted = sorted(latency);
            long[] sortedRead = sorted(read);
            long negative = Arrays.stream(latency).filter(value -> value < 0).count();
            System.out.printf("  latency   : p50 %s, p90 %s, p99 %s, max %s (%s)%s%n", ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                    ms(percentile(sorted, 99)), ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]), path,
                    negative > 0 ? "; " + negative + " of them stamped before this client had the call's 200 (kept, negative: the answer reached the client late)" : "");
            System.out.printf("  as read   : p50 %s, p99 %s (the same, to the moment this client's consumer had the record)%n", ms(percentile(sortedRead, 50)),
                    ms(percentile(sortedRead, 99)));
            long[] sortedFromSent = sorted(fromSent);
            System.out.printf("  from sent : p50 %s, p99 %s (the same from the moment the call was sent, its answer time included: the bound above)%n",
                    ms(percentile(sortedFromSent, 50)), ms(percentile(sortedFromSent, 99)));
            // p50/p99 of what was accepted in each 10 s: a backlog that grows shows as a rising line.
            Map<Long, List<Long>> buckets = new java.util.TreeMap<>();
            for (int i = 0; i < latency.length; i++) {
                buckets.computeIfAbsent((acceptedAt[i] - start0) / 10_000, key -> new ArrayList<>()).add(latency[i]);
            }
            StringBuilder line = new StringBuilder("  over time :");
            buckets.forEach((bucket, values) -> {
                long[] sortedBucket = values.stream().mapToLong(Long::longValue).sorted().toArray();
                line.append(String.format(" %d-%ds p50 %s/p99 %s;", bucket * 10, bucket * 10 + 10, ms(percentile(sortedBucket, 50)),
                        ms(percentile(sortedBucket, 99))));
            });
            System.out.println(line);
            return unmatched == 0;
        }

        /** On the event loop: sends every track now due, then looks again in a millisecond. */
        private void pace() {
            while (next < totalSlots) {
                long now = System.nanoTime();
                long due = start + (long) (next * 1e9 / rate);
                if (due > now) {
                    break;
                }
                int slot = next++;
                if (slot == warmSlots) {
                    measuredCpu = machineCpu();
                    processCpu = processCpu();
                    firstMeasuredSend = now;
                }
                if (slot >= warmSlots) {
                    maxBehind = Math.max(maxBehind, now - due);
                    behindOver10ms += now - due > 10_000_000 ? 1 : 0;
                }
                lastSend = now;
                send(slot);
            }
            if (next < totalSlots) {
                vertx.setTimer(1, tick -> pace());
            } else {
                cpuAfter = machineCpu();
                processCpuAfter = processCpu();
            }
        }

        private void send(int slot) {
            int customer;
            if (slot < warmSlots) {
                customer = ThreadLocalRandom.current().nextInt(warm);
            } else if (firstOf[slot - warmSlots] >= 0) {
                customer = warm + firstOf[slot - warmSlots];
            } else {
                customer = eligible[ThreadLocalRandom.current().nextInt(eligibleCount)];
            }
            customerOf[slot] = customer;
            String body = """
                    {"userId":"%s","event":"%s","messageId":"%s%d","properties":{"sku":"FUEL-95","price":43.19,"quantity":%d},\
                    "context":{"library":{"name":"track-latency","version":"1"}}}""".formatted(userIds[customer], event, messagePrefix, slot,
                    1 + slot % 5);
            long sentNanos = System.nanoTime();
            sentAt[slot] = System.currentTimeMillis();
            inFlight++;
            if (slot >= warmSlots) {
                maxInFlight = Math.max(maxInFlight, inFlight);
            }
            post(http, headers, "/v1/track", body).onComplete(result -> {
                long now = System.currentTimeMillis();
                inFlight--;
                if (result.succeeded() && result.result().status() == 200) {
                    answerMicros[slot] = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - sentNanos) / 1000);
                    acceptedAt[slot] = now;
                    if (slot >= warmSlots && firstOf[slot - warmSlots] >= 0) {
                        eligible[eligibleCount++] = customer; // repeats of this customer may follow: their first track is in Kafka
                    }
                    lastAnswerAt = Math.max(lastAnswerAt, now);
                } else if (failures.size() < 3) {
                    failures.add(result.failed() ? result.cause().toString() : result.result().status() + " " + result.result().body());
                }
                if (++answered == totalSlots) {
                    allAnswered.countDown();
                }
            });
        }

        /** A plain consumer on every partition of both topics, from their end as they are now (no group, no commits). */
        private KafkaConsumer<byte[], byte[]> consumer() {
            Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(STORED, MEMBERSHIP)) {
                for (PartitionInfo partition : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, partition.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolves the end offsets now, before the first track is sent
            return consumer;
        }

        private void consume(KafkaConsumer<byte[], byte[]> consumer) {
            try (consumer) {
                while (consuming) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        String value = new String(record.value(), StandardCharsets.ISO_8859_1); // the fields read are ASCII
                        if (record.topic().equals(STORED)) {
                            stored(value, record.timestamp(), now);
                        } else {
                            membership(value, record.timestamp(), now);
                        }
                    }
                    if (!records.isEmpty()) {
                        synchronized (matched) {
                            matched.notifyAll(); // the grace wait re-counts what has arrived
                        }
                    }
                }
            }
        }

        private void stored(String value, long timestamp, long now) {
            String messageId = field(value, "messageId");
            if (messageId == null || !messageId.startsWith(messagePrefix)) {
                return;
            }
            int slot = Integer.parseInt(messageId, messagePrefix.length(), messageId.length(), 10);
            if (slot >= warmSlots && storedAt[slot] == 0) { // a redelivery sends it again: the first one counts
                storedAt[slot] = timestamp;
                storedReadAt[slot] = now;
                storedMatched.incrementAndGet();
                if (!customerIds[customerOf[slot]].equals(field(value, "customerId"))) {
                    wrongCustomer.incrementAndGet();
                }
            }
        }

        private void membership(String value, long timestamp, long now) {
            if (!segmentId.equals(field(value, "segmentId")) || !"ENTERED".equals(field(value, "change"))) {
                return;
            }
            Integer customer = measuredByCustomerId.get(field(value, "customerId"));
            if (customer != null && enteredAt[customer] == 0) {
                enteredAt[customer] = timestamp;
                enteredReadAt[customer] = now;
                enteredMatched.incrementAndGet();
            }
        }
    }

    /** A top-level string field of the services' compact JSON (Jackson writes "name":"value"); enough for ids. */
    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        return json.substring(from, json.indexOf('"', from));
    }

    private static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** Nearest rank; an unmatched value (Long.MAX_VALUE) ranks above every matched one. */
    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(long millis) {
        return millis == Long.MAX_VALUE ? "unmatched" : millis + " ms";
    }

    /** The machine's busy and total CPU time in clock ticks, as bench/common.sh's machine_cpu reads /proc/stat. */
    private static long[] machineCpu() {
        String[] cpu;
        try {
            cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
        return new long[] {busy, busy + Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
    }

    /**
     * CPU ticks so far of the processes named by the property track.processes ("name=pid[,pid...] ..."; this client
     * is "client"), each name's pids summed; a process that is gone counts nothing more.
     */
    private static Map<String, Long> processCpu() {
        Map<String, Long> ticks = new java.util.LinkedHashMap<>();
        String named = System.getProperty("track.processes", "") + " client=" + ProcessHandle.current().pid();
        for (String entry : named.trim().split("\\s+")) {
            String[] nameAndPids = entry.split("=", 2);
            long sum = 0;
            for (String pid : nameAndPids[1].split(",")) {
                if (pid.isEmpty()) {
                    continue;
                }
                try {
                    String stat = Files.readString(Path.of("/proc", pid, "stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name in parentheses may hold spaces
                    sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                } catch (IOException e) {
                    // ended
                }
            }
            ticks.merge(nameAndPids[0], sum, Long::sum);
        }
        return ticks;
    }

    /** ": name X, ..., everything else Y core-seconds": what each process took of the machine's busy time. */
    private static String shares(long[] machineBefore, long[] machineAfter, Map<String, Long> before, Map<String, Long> after) {
        double tick = Double.parseDouble(System.getProperty("clk.tck", "100"));
        StringBuilder line = new StringBuilder(":");
        long named = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            long used = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            named += used;
            line.append(String.format(" %s %.1f,", entry.getKey(), used / tick));
        }
        long rest = machineAfter[0] - machineBefore[0] - named;
        return line.append(String.format(" everything else %.1f core-seconds", rest / tick)).toString();
    }

    private static String busy(long[] before, long[] after) {
        long busy = after[0] - before[0];
        long total = after[1] - before[1];
        double tick = Double.parseDouble(System.getProperty("clk.tck", "100")); // getconf CLK_TCK
        return String.format("%.0f of %.0f core-seconds busy (%.0f %%)", busy / tick, total / tick, total == 0 ? 0 : 100.0 * busy / total);
    }
}
