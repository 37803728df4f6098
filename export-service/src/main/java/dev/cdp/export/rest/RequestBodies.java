package dev.cdp.export.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.StorableJson;
import dev.cdp.problem.Violation;
import java.util.List;
import java.util.UUID;

/** The checks every JSON request body of this service starts with, each problem named by its JSON pointer. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * A 400 unless the body is a JSON object, {@code expected} saying what it should hold, whose text PostgreSQL can
     * store ({@link StorableJson}).
     */
    public static void requireObject(JsonNode body, String expected) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(List.of(new Violation("", "must be an object" + expected)));
        }
        StorableJson.require(body);
    }

    /** Adds a violation for every property not in {@code allowed}; {@code refusal} says why, such as "is not a property of an export". */
    public static void allowOnly(JsonNode body, List<String> allowed, String refusal, List<Violation> violations) {
        body.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                violations.add(new Violation("/" + field, refusal + "; allowed: " + String.join(", ", allowed)));
            }
        });
    }

    /** The property as a UUID, or null after adding {@code required} as its violation. */
    public static UUID uuid(JsonNode body, String field, String required, List<Violation> violations) {
        JsonNode node = body.get(field);
        try {
            if (node != null && node.isTextual() && node.asText().length() == 36) {
                return UUID.fromString(node.asText());
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        violations.add(new Violation("/" + field, required));
        return null;
    }
}
