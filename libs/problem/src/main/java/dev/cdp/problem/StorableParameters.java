package dev.cdp.problem;

import dev.cdp.events.TextKeys;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request whose query or path parameters hold text PostgreSQL cannot store ({@link TextKeys#storable}), or
 * are longer than any identifier, cursor or search term ({@value #MAX_LENGTH} characters), in every service and before
 * any resource runs: a problem+json 400 naming the parameter, never a failed statement. (A request line longer than
 * the HTTP layer reads, 16 KB, is refused by it before this, with a bare 414 or 431.)
 */
public class StorableParameters {

    static final int MAX_LENGTH = 2000;

    @ServerRequestFilter
    public RestResponse<Problem> refuseUnfitParameters(UriInfo uri) {
        Violation violation = violation(uri.getQueryParameters());
        if (violation == null) {
            violation = violation(uri.getPathParameters());
        }
        if (violation == null) {
            return null;
        }
        ProblemException invalid = ProblemException.invalid(List.of(violation));
        return RestResponse.ResponseBuilder.create(invalid.status(), Problem.of(invalid, uri.getPath())).type(Problem.MEDIA_TYPE).build();
    }

    private static Violation violation(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!TextKeys.storable(parameter.getKey()) || parameter.getKey().length() > MAX_LENGTH) {
                // a name that cannot be stored cannot be named either
                return new Violation("query", "has a parameter name that is too long or holds a character that cannot be stored");
            }
            for (String value : parameter.getValue()) {
                if (!TextKeys.storable(value)) {
                    return new Violation(parameter.getKey(), TextKeys.UNSTORABLE);
                }
                if (value.length() > MAX_LENGTH) {
                    return new Violation(parameter.getKey(), "must be at most " + MAX_LENGTH + " characters");
                }
            }
        }
        return null;
    }
}
