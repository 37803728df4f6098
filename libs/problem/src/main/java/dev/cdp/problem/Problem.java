package dev.cdp.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response.
 *
 * @param type a stable URN naming the kind of problem; clients switch on it
 * @param title the HTTP reason phrase
 * @param status the HTTP status code
 * @param detail what went wrong, for a human
 * @param instance the request path
 * @param violations one entry per invalid field, when the request was invalid
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:cdp:problem:";

    public static String type(String slug) {
        return TYPE_PREFIX + slug;
    }

    /** The body for a {@link ProblemException} raised while serving {@code instance} (the request path). */
    public static Problem of(ProblemException e, String instance) {
        return new Problem(type(e.slug()), e.status().getReasonPhrase(), e.status().getStatusCode(), e.getMessage(),
                instance, e.violations());
    }
}
