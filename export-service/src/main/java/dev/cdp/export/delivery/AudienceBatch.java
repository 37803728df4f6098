package dev.cdp.export.delivery;

import java.util.List;
import java.util.UUID;

/**
 * Rows for one call: the customers and their rows in the platform's row format ({@code header}), hashed; null cells
 * are empty. PII-free, but still never logged row by row.
 *
 * @param id unique per batch and the same when a batch is sent again (a webhook's idempotency key)
 * @param replace set on the batches of a full upload that replaces the audience's members
 */
public record AudienceBatch(String id, List<String> header, List<UUID> customerIds, List<String[]> rows, Replace replace) {

    /** Where a batch stands in a replacing upload (Meta's usersreplace session). */
    public record Replace(long sessionId, int sequence, boolean last, long estimatedTotal) {
    }

    public AudienceBatch {
        if (customerIds.size() != rows.size()) {
            throw new IllegalArgumentException("one row per customer");
        }
    }

    public int size() {
        return rows.size();
    }
}
