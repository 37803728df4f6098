package dev.cdp.export.stub;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the platform stubs for the tests and points export-service's platform URLs at them. */
public class PlatformStubsResource implements QuarkusTestResourceLifecycleManager {

    /** The running stubs, for the tests to set up and inspect. */
    public static volatile PlatformStubs stubs;

    @Override
    public Map<String, String> start() {
        stubs = new PlatformStubs();
        return Map.of(
                "cdp.delivery.platforms.meta-url", stubs.meta().baseUrl(),
                "cdp.delivery.platforms.google-url", stubs.google().baseUrl(),
                "cdp.delivery.platforms.google-token-url", stubs.baseUrl() + "/google-oauth/token",
                "cdp.delivery.platforms.tiktok-url", stubs.tiktok().baseUrl());
    }

    @Override
    public void stop() {
        if (stubs != null) {
            stubs.stop();
        }
    }
}
