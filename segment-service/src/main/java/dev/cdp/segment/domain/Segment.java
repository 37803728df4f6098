package dev.cdp.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A saved segment, its definition, and the outcome of its last evaluation (size null until it was evaluated). */
public record Segment(UUID id, String name, String description, JsonNode definition, int version, Instant createdAt,
        Instant updatedAt, Long size, Instant lastEvaluatedAt) {
}
