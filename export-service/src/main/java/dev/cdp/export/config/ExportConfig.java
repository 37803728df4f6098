package dev.cdp.export.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.time.Duration;

/** Settings of export-service ({@code cdp.export.*}, or environment variables {@code CDP_EXPORT_*}). */
@ConfigMapping(prefix = "cdp.export")
public interface ExportConfig {

    /** Base URL of segment-service, whose members stream feeds every export. */
    String segmentServiceUrl();

    /** Where finished files are kept (a volume shared by the replicas in a cluster). */
    Path directory();

    /** How long a finished file is kept before it is deleted; the job's record stays. */
    Duration retention();

    /** Jobs run at the same time by this instance; more wait as QUEUED. */
    int workers();

    /** A RUNNING job whose runner has not reported for this long lost it (a restart or a crash) and is failed. */
    Duration staleAfter();
}
