package dev.cdp.problem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Parses query and path parameters, so a bad one is a 400 naming it. (JAX-RS answers a parameter it cannot convert
 * with a bare 404, which tells the caller nothing.)
 */
public final class Params {

    private Params() {
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
    public static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, "must be a whole number from " + min + " to " + max);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public static long longParam(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, "must be a whole number from " + min + " to " + max);
    }

    public static UUID uuidParam(String name, String value) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw invalid(name, "must be a UUID");
    }

    /** An ISO-8601 date-time with a zone ({@code 2026-12-01T00:00:00Z}), or null when absent. */
    public static Instant instantParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be an ISO-8601 date-time with a zone");
        }
    }

    private static ProblemException invalid(String name, String detail) {
        return ProblemException.invalid(List.of(new Violation(name, detail)));
    }
}
