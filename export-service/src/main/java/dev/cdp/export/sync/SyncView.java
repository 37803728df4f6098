package dev.cdp.export.sync;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A sync as the API shows it. */
public record SyncView(UUID id, UUID segmentId, UUID destinationId, Sync.Mode mode, List<String> identifiers, Sync.Trigger trigger,
        Integer intervalMinutes, boolean enabled, String audienceName, String platformAudienceId, Instant fullUploadAt, Instant nextRunAt,
        Instant createdAt, Instant updatedAt) {

    static SyncView of(Sync sync) {
        return new SyncView(sync.id, sync.segmentId, sync.destinationId, sync.mode, List.copyOf(sync.identifiers), sync.trigger,
                sync.intervalMinutes, sync.enabled, sync.audienceName, sync.platformAudienceId, sync.fullUploadAt, sync.nextRunAt,
                sync.createdAt, sync.updatedAt);
    }
}
