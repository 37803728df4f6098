package dev.cdp.segment.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Settings of segment-service ({@code cdp.segment.*}, or environment variables {@code CDP_SEGMENT_*}). */
@ConfigMapping(prefix = "cdp.segment")
public interface SegmentConfig {

    /** Kafka consumer settings for {@code cdp.profiles.changed} ({@code group.id}, ...). */
    Map<String, String> consumer();

    /** Kafka producer settings for {@code cdp.segments.membership}. */
    Map<String, String> producer();

    /** When every segment is evaluated in full (Quarkus cron, seconds first), or {@code off}. */
    String refreshCron();
}
