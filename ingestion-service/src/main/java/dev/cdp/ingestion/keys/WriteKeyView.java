package dev.cdp.ingestion.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A managed write key as the API shows it. {@code key} is there only in the answer that made it (creation or
 * rotation); afterwards only the hint tells it apart.
 *
 * @param status ACTIVE, EXPIRING (rotated: works until expiresAt), EXPIRED or REVOKED
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteKeyView(UUID id, String name, String source, String key, String keyHint, List<String> allowedOrigins,
        int ratePerSecond, String status, Instant createdAt, String createdBy, Instant updatedAt, Instant expiresAt,
        Instant revokedAt, UUID replacedBy) {

    static WriteKeyView of(WriteKey key, String secret) {
        Instant now = Instant.now();
        String status = key.revokedAt != null ? "REVOKED"
                : key.expiresAt == null ? "ACTIVE"
                : key.expiresAt.isAfter(now) ? "EXPIRING" : "EXPIRED";
        List<String> origins = key.allowedOrigins.isBlank() ? List.of() : Arrays.asList(key.allowedOrigins.split(" "));
        return new WriteKeyView(key.id, key.name, key.source, secret, key.keyHint, origins, key.ratePerSecond, status,
                key.createdAt, key.createdBy, key.updatedAt, key.expiresAt, key.revokedAt, key.replacedBy);
    }
}
