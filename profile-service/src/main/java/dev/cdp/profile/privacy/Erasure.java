package dev.cdp.profile.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A request to erase a customer, as its progress stands. It never holds the identifier it was made with, only that
 * identifier's kind.
 */
@Schema(description = "An erasure (right to erasure, KVKK/GDPR) and its progress")
public record Erasure(
        UUID id,
        @Schema(description = "ERASING until every step is done, then COMPLETED") String status,
        @Schema(description = "The step under way: PROFILE, SEGMENTS, EXPORTS, then DONE") String step,
        String requestedBy,
        Instant requestedAt,
        @Schema(description = "What the request named: customerId, userId, anonymousId, email, phone or loyaltyCard (never its value)")
        String identifierType,
        @Schema(description = "Customers erased: the one named and those merged into it") int customers,
        @Schema(description = "Identifiers added to the suppression list") int suppressedIdentifiers,
        @Schema(description = "What each step did: profile (rows deleted per table), segments, exports (files and destinations)")
        JsonNode progress,
        @Schema(description = "Why the step under way waits, or null") String waitingFor,
        Instant completedAt) {

    public static final String ERASING = "ERASING";
    public static final String COMPLETED = "COMPLETED";
}
