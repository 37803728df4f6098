package dev.cdp.problem;

import dev.cdp.events.TextKeys;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request whose query or path parameters hold text PostgreSQL cannot store ({@link TextKeys#storable}),
 * in every service and before any resource runs: a problem+json 400 naming the parameter, never a failed statement.
 */
public class StorableParameters {

    @ServerRequestFilter
    public RestResponse<Problem> refuseUnstorable(UriInfo uri) {
        String name = unstorable(uri.getQueryParameters());
        if (name == null) {
            name = unstorable(uri.getPathParameters());
        }
        if (name == null) {
            return null;
        }
        ProblemException invalid = ProblemException.invalid(List.of(new Violation(name, TextKeys.UNSTORABLE)));
        return RestResponse.ResponseBuilder.create(invalid.status(), Problem.of(invalid, uri.getPath())).type(Problem.MEDIA_TYPE).build();
    }

    private static String unstorable(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!TextKeys.storable(parameter.getKey())) {
                return "query"; // a name that cannot be stored cannot be named either
            }
            for (String value : parameter.getValue()) {
                if (!TextKeys.storable(value)) {
                    return parameter.getKey();
                }
            }
        }
        return null;
    }
}
