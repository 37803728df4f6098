package dev.cdp.export.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How far export-service is with an erasure. */
@Schema(description = "An erasure's progress in export-service: kept files and synced audiences")
public record ErasureReport(
        UUID id,
        @Schema(description = "ERASING, then COMPLETED once no file and no synced audience holds the customers") String status,
        Instant registeredAt,
        Files files,
        Audiences audiences,
        @Schema(description = "What the erasure waits for, or null") String waitingFor,
        Instant completedAt) {

    /**
     * @param done whether every kept file was checked
     * @param counts files checked, scrubbed (rows taken out), rows removed, and files deleted whole
     */
    public record Files(boolean done, JsonNode counts) {
    }

    /**
     * @param heldAtStart ledger rows (one per customer and sync) that held the customers when the erasure began
     * @param stillHeld those whose removal the platform has not confirmed yet
     */
    public record Audiences(int heldAtStart, long stillHeld) {
    }
}
