package dev.cdp.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Settings of profile-service ({@code cdp.profile.*}, or environment variables {@code CDP_PROFILE_*}). */
@ConfigMapping(prefix = "cdp.profile")
public interface ProfileConfig {

    /** Kafka consumer settings for {@code cdp.events.raw} ({@code group.id}, {@code max.poll.records}, ...). */
    Map<String, String> consumer();

    /** Kafka producer settings for {@code cdp.profiles.changed} and the dead-letter topic. */
    Map<String, String> producer();

    /**
     * How many consumer loops store batches at once, each with its own Kafka consumer (its share of the partitions)
     * and database connection. Loops never wait for each other: a message whose customer another loop (or replica)
     * holds waits for the loop's next batch (decision 14). Two keep the database and the service busy at once on a
     * small machine (docs/performance.md).
     */
    @WithDefault("2")
    int writers();

    /**
     * How long raw events (bronze) are kept after they were stored; older ones are deleted in the background
     * (environment {@code CDP_PROFILE_RAW_EVENT_RETENTION}, ISO-8601 such as {@code P180D}).
     */
    @WithDefault("P180D")
    Duration rawEventRetention();

    /** How often the retention round runs, as the scheduler reads it ({@code 1h}; {@code off} stops it). */
    @WithDefault("1h")
    String retentionInterval();

    /**
     * How often the consumer group's lag on {@code cdp.events.raw} is measured for /q/metrics, readiness and
     * {@code /profiles/stats}, as the scheduler reads it ({@code 5s}; {@code off} stops it).
     */
    @WithDefault("5s")
    String lagInterval();

    /**
     * The key of the suppression list's hashes (environment {@code CDP_SUPPRESSION_KEY}): a secret of the installation,
     * the same on every replica; changing it forgets every suppression.
     */
    String suppressionKey();

    /** The region phone numbers without a country code are read in, when the message names no country. */
    @WithDefault("TR")
    String defaultPhoneRegion();
}
