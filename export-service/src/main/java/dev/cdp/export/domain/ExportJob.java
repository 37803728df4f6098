package dev.cdp.export.domain;

import dev.cdp.export.platform.Platform;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An export job as the API shows it, which is also its audit record: who asked, when, for which segment and version
 * of its definition, with which normalizer, which consent it relied on (read when the job started), and what became
 * of every member read.
 */
public record ExportJob(UUID id, UUID segmentId, String segmentName, int segmentVersion, Instant segmentEvaluatedAt,
        Platform platform, String delivery, Status status, String requestedBy, String normalizerVersion, Instant createdAt,
        Instant startedAt, Instant finishedAt, Progress progress, ExportFile file, ConsentBasis consent, String error) {

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED
    }

    /**
     * Counts so far: members read from the segment, rows written, members left out for want of advertising consent
     * or of any identifier the platform can match, phone numbers that were not valid, and per identifier how many
     * written rows carry it.
     */
    public record Progress(long rowsRead, long rowsWritten, long skippedNoConsent, long skippedNoIdentifier, long invalidPhones,
            Map<String, Long> coverage) {
    }

    /**
     * The finished file: its download name and size, until when it is kept, whether it was deleted (retention, or an
     * erasure that could not tell its rows apart), and how many rows erasures took out of it.
     */
    public record ExportFile(String name, long sizeBytes, Instant expiresAt, boolean deleted, long rowsErased, String download) {
    }
}
