package dev.cdp.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body over {@code quarkus.http.limits.max-body-size} is refused by the HTTP layer before any resource or exception
 * mapper runs, with an empty 413; here it is a problem+json like every other error, in every service: a declared
 * length over the limit before the body is read, and a body that grows past it while it is read.
 */
@ApplicationScoped
public class OversizedBodies {

    private final ObjectMapper json;
    private final Optional<MemorySize> limit;

    public OversizedBodies(ObjectMapper json, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.json = json;
        this.limit = limit;
    }

    void route(@Observes Router router) {
        // At Quarkus' own limit's place, ahead of it (routes of one order run as added): a route that streams a larger
        // body on purpose (ingestion-service's import) is ordered before both.
        limit.ifPresent(size -> router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > size.asLongValue()) {
                refuse(context);
            } else {
                context.next();
            }
        }));
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() == Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode() && !context.response().headWritten()) {
                refuse(context);
            } else {
                context.next();
            }
        });
    }

    private void refuse(RoutingContext context) {
        ProblemException tooLarge = new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "too-large",
                limit.map(size -> "A body may be at most " + size.asLongValue() + " bytes here").orElse("The body is too large"));
        try {
            // the rest of the body is not read: the connection closes after the answer, as Quarkus' own refusal does
            context.response().setStatusCode(tooLarge.status().getStatusCode())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).putHeader(HttpHeaders.CONNECTION, "close")
                    .end(json.writeValueAsString(Problem.of(tooLarge, context.normalizedPath())));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
