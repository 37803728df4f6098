package dev.cdp.export.stub;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The platform stubs as a process of their own, for benchmarks ({@code bench/export.sh}, {@code bench/sync-latency.sh}):
 * prints the base URL ({@code /meta}, {@code /google}, {@code /tiktok} under it) and serves until it is stopped. Built
 * with {@link PlatformStubs#forBenchmarks()}: nothing kept that the benchmarks do not read.
 *
 * <p>With a file argument, every valid row a Meta {@code POST /users} brings is written there as it arrives: its
 * EMAIL hash and the arrival time in epoch milliseconds, separated by a tab; and so is every event a Conversions API
 * call brings, by its {@code event_id}.
 */
public final class PlatformStubsMain {

    private PlatformStubsMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        PlatformStubs stubs = PlatformStubs.forBenchmarks();
        if (args.length > 0) {
            PrintWriter arrivals = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8));
            stubs.meta().onArrival(rows -> write(arrivals, rows.stream().map(row -> row.getOrDefault("EMAIL", "")).toList(),
                    System.currentTimeMillis()));
            stubs.meta().onEventArrival(eventIds -> write(arrivals, eventIds, System.currentTimeMillis()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stubs::stop));
        System.out.println(stubs.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static synchronized void write(PrintWriter arrivals, List<String> keys, long at) {
        keys.forEach(key -> arrivals.append(key).append('\t').append(Long.toString(at)).append('\n'));
        arrivals.flush();
    }
}
