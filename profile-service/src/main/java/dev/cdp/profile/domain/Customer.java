package dev.cdp.profile.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A customer profile as stored. */
public record Customer(UUID customerId, List<Identity> identities, Instant createdAt, Instant updatedAt) {
}
