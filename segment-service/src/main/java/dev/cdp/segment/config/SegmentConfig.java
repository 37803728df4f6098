package dev.cdp.segment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
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

    /**
     * PostgreSQL's {@code work_mem} for full evaluations and previews, which hash the customers active in each window
     * once: about 64 bytes a customer, and PostgreSQL allows twice this for a hash (docs/performance.md).
     */
    @WithDefault("256MB")
    String evaluationWorkMem();

    /**
     * PostgreSQL's {@code random_page_cost} for full evaluations and previews, which they plan as if only PostgreSQL's
     * own buffers held pages: 1.1 for solid-state storage; 4, PostgreSQL's default, for spinning disks
     * (docs/segments.md).
     */
    @WithDefault("1.1")
    @Positive
    double evaluationRandomPageCost();
}
