package dev.cdp.export.stub;

/**
 * The platform stubs as a process of their own, for benchmarks ({@code bench/delivery.sh}): prints the base URL
 * ({@code /meta}, {@code /google}, {@code /tiktok} under it) and serves until it is stopped.
 */
public final class PlatformStubsMain {

    private PlatformStubsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PlatformStubs stubs = new PlatformStubs();
        Runtime.getRuntime().addShutdownHook(new Thread(stubs::stop));
        System.out.println(stubs.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
