package dev.cdp.export.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of audience delivery ({@code cdp.delivery.*}, or environment variables {@code CDP_DELIVERY_*}). */
@ConfigMapping(prefix = "cdp.delivery")
public interface DeliveryConfig {

    /**
     * The 32-byte AES key that seals destination credentials, base64; or {@link #credentialsKeyFile()}. Without
     * either, destinations cannot be created.
     */
    Optional<String> credentialsKey();

    /** A file holding the key in base64 (a mounted Kubernetes Secret); read at start. */
    Optional<Path> credentialsKeyFile();

    /** Where each platform's API is; tests point them at local stubs. */
    Platforms platforms();

    /** Syncs run at the same time by this instance. */
    @WithDefault("4")
    int workers();

    /** How long an on-change sync waits after a change to batch others with it. */
    @WithDefault("PT1S")
    Duration onChangeDelay();

    /** A RUNNING run whose runner has not reported for this long lost it and is resumed by any instance. */
    @WithDefault("PT30S")
    Duration staleAfter();

    /** Attempts of one batch on timeouts and server errors (the first included), with exponential backoff. */
    @WithDefault("5")
    int attempts();

    /**
     * How many times a conversion is tried (each try already retried by {@link #attempts()}) before it is
     * dead-lettered; the waits between tries double from 2 s to 10 min, so 10 tries span about half an hour.
     */
    @WithDefault("10")
    int conversionAttempts();

    /** The first backoff; it doubles up to {@link #maxBackoff()}, with jitter. */
    @WithDefault("PT0.5S")
    Duration backoff();

    @WithDefault("PT30S")
    Duration maxBackoff();

    /** The longest one call may take. */
    @WithDefault("PT60S")
    Duration callTimeout();

    /** The longest a run waits in all for a platform's rate limit before it stops and leaves the rest to the next run. */
    @WithDefault("PT15M")
    Duration maxThrottleWait();

    interface Platforms {
        @WithDefault("https://graph.facebook.com")
        String metaUrl();

        @WithDefault("v27.0")
        String metaVersion();

        @WithDefault("https://datamanager.googleapis.com")
        String googleUrl();

        @WithDefault("https://oauth2.googleapis.com/token")
        String googleTokenUrl();

        @WithDefault("https://business-api.tiktok.com")
        String tiktokUrl();

        /** Webhook URLs must be https; plain http is accepted for these hosts only (the local run's receiver). */
        @WithDefault("localhost,127.0.0.1,[::1]")
        java.util.List<String> webhookHttpHosts();
    }
}
