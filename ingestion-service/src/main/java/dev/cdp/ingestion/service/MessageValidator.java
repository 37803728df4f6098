package dev.cdp.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks intake messages against the Segment spec and our bounds. Every problem is reported at once, each named by a
 * JSON pointer, so a sender can fix a message in one round.
 */
@ApplicationScoped
public class MessageValidator {

    static final int MAX_ID_LENGTH = 255;
    static final int MAX_MESSAGE_ID_LENGTH = 100;
    static final int MAX_EVENT_NAME_LENGTH = 200;
    private static final List<String> OBJECT_FIELDS = List.of("properties", "context", "traits", "integrations");
    private static final List<String> TIME_FIELDS = List.of("timestamp", "sentAt", "originalTimestamp");

    /** A track call: an identity, an event name, optional properties and times. */
    public ObjectNode validTrack(JsonNode message) {
        if (!(message instanceof ObjectNode track)) {
            throw ProblemException.invalid(List.of(new Violation("/", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        if (track.hasNonNull("type") && !"track".equals(track.get("type").asText())) {
            violations.add(new Violation("/type", "must be \"track\" on this endpoint"));
        }
        checkIdentity(track, violations);
        checkText(track, "event", MAX_EVENT_NAME_LENGTH, true, violations);
        checkText(track, "messageId", MAX_MESSAGE_ID_LENGTH, false, violations);
        for (String field : OBJECT_FIELDS) {
            if (track.hasNonNull(field) && !track.get(field).isObject()) {
                violations.add(new Violation("/" + field, "must be a JSON object"));
            }
        }
        for (String field : TIME_FIELDS) {
            if (track.hasNonNull(field) && parseTime(track.get(field)).isEmpty()) {
                violations.add(new Violation("/" + field, "must be an ISO-8601 date-time with a time zone, such as 2026-11-26T10:15:30Z"));
            }
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return track;
    }

    /** When the event happened, as the sender says; empty when it did not say. */
    public Optional<Instant> timestamp(ObjectNode message) {
        return message.hasNonNull("timestamp") ? parseTime(message.get("timestamp")) : Optional.empty();
    }

    /** Segment requires a userId or an anonymousId; ids are strings (whole numbers are taken as their digits). */
    private static void checkIdentity(ObjectNode message, List<Violation> violations) {
        boolean identified = false;
        for (String field : List.of("userId", "anonymousId")) {
            JsonNode id = message.get(field);
            if (id == null || id.isNull()) {
                continue;
            }
            if (!(id.isTextual() || id.isIntegralNumber())) {
                violations.add(new Violation("/" + field, "must be a string"));
            } else if (id.asText().isBlank()) {
                violations.add(new Violation("/" + field, "must not be blank"));
            } else if (id.asText().length() > MAX_ID_LENGTH) {
                violations.add(new Violation("/" + field, "must be at most " + MAX_ID_LENGTH + " characters"));
            } else {
                identified = true;
            }
        }
        if (!identified && violations.isEmpty()) {
            violations.add(new Violation("/userId", "is required (or /anonymousId)"));
        }
    }

    private static void checkText(ObjectNode message, String field, int maxLength, boolean required, List<Violation> violations) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation("/" + field, "is required"));
            }
        } else if (!value.isTextual()) {
            violations.add(new Violation("/" + field, "must be a string"));
        } else if (value.asText().isBlank()) {
            violations.add(new Violation("/" + field, "must not be blank"));
        } else if (value.asText().length() > maxLength) {
            violations.add(new Violation("/" + field, "must be at most " + maxLength + " characters"));
        }
    }

    private static Optional<Instant> parseTime(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
