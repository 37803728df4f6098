package dev.cdp.segment.domain;

import java.time.Instant;
import java.util.UUID;

/** A customer in a segment since {@code enteredAt}. */
public record Membership(UUID segmentId, String segmentName, UUID customerId, Instant enteredAt) {
}
