package dev.cdp.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Response.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thrown by services for any failure the caller should see as a problem+json response. */
public class ProblemException extends RuntimeException {

    private final Status status;
    private final String slug;
    private final List<Violation> violations;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(Status status, String slug, String detail) {
        this(status, slug, detail, List.of());
    }

    public ProblemException(Status status, String slug, String detail, List<Violation> violations) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.violations = List.copyOf(violations);
    }

    /** A 400 naming each invalid field. */
    public static ProblemException invalid(List<Violation> violations) {
        String detail = violations.size() == 1
                ? (violations.get(0).field().isEmpty() ? "The body" : violations.get(0).field()) + " " + violations.get(0).detail()
                : violations.size() + " fields are invalid";
        return new ProblemException(Status.BAD_REQUEST, "invalid-request", detail, violations);
    }

    /** A 400 for a body that does not parse, saying where it broke but not what it held. */
    public static ProblemException malformedJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        // Jackson's words for content after the document (DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        boolean trailing = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token");
        return new ProblemException(Status.BAD_REQUEST, "malformed-json",
                trailing ? "The body must be one JSON document; more follows" + where : "The body is not valid JSON" + where);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Status.NOT_FOUND, "not-found", detail);
    }

    /** Adds a response header, such as {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Status status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public List<Violation> violations() {
        return violations;
    }
}
