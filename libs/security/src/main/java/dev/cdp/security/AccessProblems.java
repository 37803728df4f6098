package dev.cdp.security;

import dev.cdp.problem.Problem;
import dev.cdp.problem.ProblemException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A missing or refused token (401) and a missing role (403) as problem+json, naming the role the endpoint needs. The
 * reason a token was refused stays in the server's debug log: telling a caller why its forgery failed helps it.
 */
public class AccessProblems {

    @ServerExceptionMapper
    public RestResponse<Problem> noToken(UnauthorizedException e, UriInfo uri, ResourceInfo resource) {
        return problem(Status.UNAUTHORIZED, "unauthenticated", "A bearer token from the identity provider is needed: "
                + "this endpoint needs the role " + requiredRoles(resource), uri, "Bearer");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> refusedToken(AuthenticationFailedException e, UriInfo uri) {
        return problem(Status.UNAUTHORIZED, "invalid-token", "The bearer token was refused: it is expired, not yet valid, "
                + "malformed, or not signed by the configured identity provider", uri, "Bearer error=\"invalid_token\"");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> missingRole(ForbiddenException e, UriInfo uri, ResourceInfo resource) {
        return problem(Status.FORBIDDEN, "role-missing", "This needs the role " + requiredRoles(resource)
                + "; the token does not have it", uri, null);
    }

    private static RestResponse<Problem> problem(Status status, String slug, String detail, UriInfo uri, String challenge) {
        RestResponse.ResponseBuilder<Problem> response = RestResponse.ResponseBuilder
                .create(status, Problem.of(new ProblemException(status, slug, detail), uri.getPath()))
                .type(Problem.MEDIA_TYPE);
        if (challenge != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response.build();
    }

    /** "marketer", or "marketer or pii-reader". */
    static String requiredRoles(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        List<String> roles = method == null ? List.of() : EndpointRoles.of(method);
        return roles.isEmpty() ? "(unknown)" : String.join(" or ", roles);
    }
}
