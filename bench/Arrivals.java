import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the latency benchmarks share: following the platform stub's arrivals file (PlatformStubsMain: a key and the
 * arrival time in epoch milliseconds a line) and printing latencies from accepted call to arrival.
 */
final class Arrivals {

    private Arrivals() {
    }

    /**
     * The first arrival time of each key of {@code accepted} (key -> when its call was accepted), read as the stub
     * writes, until all arrived or {@code waitMillis} passed.
     */
    static Map<String, Long> follow(Path file, Map<String, Long> accepted, long waitMillis) throws IOException, InterruptedException {
        Map<String, Long> arrived = new HashMap<>();
        long deadline = System.currentTimeMillis() + waitMillis;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                WatchService changes = FileSystems.getDefault().newWatchService()) {
            file.toAbsolutePath().getParent().register(changes, StandardWatchEventKinds.ENTRY_MODIFY);
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[1 << 16];
            while (arrived.size() < accepted.size() && System.currentTimeMillis() < deadline) {
                int read = reader.read(buffer);
                if (read < 0) { // at the end of what the stub wrote: wait until it writes more, or the deadline
                    WatchKey changed = changes.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (changed != null) {
                        changed.pollEvents();
                        changed.reset();
                    }
                    continue;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer[i] != '\n') {
                        line.append(buffer[i]);
                        continue;
                    }
                    // Only whole lines: the stub may be half-way through writing the last one.
                    int tab = line.indexOf("\t");
                    String key = line.substring(0, tab);
                    if (accepted.containsKey(key)) {
                        arrived.putIfAbsent(key, Long.parseLong(line.substring(tab + 1)));
                    }
                    line.setLength(0);
                }
            }
        }
        return arrived;
    }

    /** Prints how many arrived and their latencies; true when every one did. */
    static boolean report(Map<String, Long> accepted, Map<String, Long> arrived, String what, String path) {
        long[] latencies = arrived.entrySet().stream().mapToLong(entry -> entry.getValue() - accepted.get(entry.getKey())).sorted().toArray();
        System.out.printf("arrived     : %d of %d %s at the Meta stub%n", latencies.length, accepted.size(), what);
        if (latencies.length > 0) {
            System.out.printf("latency     : p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (%s)%n", percentile(latencies, 50),
                    percentile(latencies, 90), percentile(latencies, 99), latencies[latencies.length - 1], path);
        }
        printTimeline(accepted, arrived);
        return latencies.length == accepted.size();
    }

    /** p50 and p99 of what was accepted in each 10 s, so a backlog that grows shows as a rising line. */
    private static void printTimeline(Map<String, Long> accepted, Map<String, Long> arrived) {
        long first = accepted.values().stream().mapToLong(Long::longValue).min().orElse(0);
        Map<Long, java.util.List<Long>> buckets = new java.util.TreeMap<>();
        arrived.forEach((key, at) -> buckets.computeIfAbsent((accepted.get(key) - first) / 10_000, bucket -> new java.util.ArrayList<>())
                .add(at - accepted.get(key)));
        StringBuilder line = new StringBuilder("over time   :");
        buckets.forEach((bucket, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            line.append(String.format(" %d-%ds p50 %d/p99 %d ms;", bucket * 10, bucket * 10 + 10, percentile(sorted, 50), percentile(sorted, 99)));
        });
        System.out.println(line);
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
