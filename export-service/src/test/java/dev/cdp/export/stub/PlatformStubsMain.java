package dev.cdp.export.stub;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The platform stubs as a process of their own, for benchmarks ({@code bench/export.sh}, {@code bench/sync-latency.sh}):
 * prints the base URL ({@code /meta}, {@code /google}, {@code /tiktok} under it) and serves until it is stopped. Built
 * with {@link PlatformStubs#forBenchmarks()}: nothing kept that the benchmarks do not read.
 *
 * <p>With a file argument, every valid row a Meta {@code POST /users} brings is written there as it arrives: its
 * EMAIL hash and the arrival time in epoch milliseconds, separated by a tab.
 */
public final class PlatformStubsMain {

    private PlatformStubsMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        PlatformStubs stubs = PlatformStubs.forBenchmarks();
        if (args.length > 0) {
            PrintWriter arrivals = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8));
            stubs.meta().onArrival(rows -> write(arrivals, rows, System.currentTimeMillis()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stubs::stop));
        System.out.println(stubs.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static synchronized void write(PrintWriter arrivals, List<Map<String, String>> rows, long at) {
        rows.forEach(row -> arrivals.append(row.getOrDefault("EMAIL", "")).append('\t').append(Long.toString(at)).append('\n'));
        arrivals.flush();
    }
}
