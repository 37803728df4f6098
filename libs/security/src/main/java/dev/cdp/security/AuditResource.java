package dev.cdp.security;

import dev.cdp.problem.Page;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This service's audit log, for {@code admin}. */
@IfBuildProperty(name = "cdp.audit.enabled", stringValue = "true") // services with a database
@Path("/audit")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class AuditResource {

    private static final int MAX_ACTOR_LENGTH = 255;

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Operation(summary = "Every change and every read of personal data on this service, newest first: who (user or client), "
            + "roles, method, path, query parameter names (never values), status, remote address; filtered by actor and "
            + "since (ISO-8601), paged by cursor (limit 1-500, default 100)")
    public Uni<Page<AuditLog.Entry>> list(@QueryParam("actor") String actor, @QueryParam("since") String since,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        if (actor != null && actor.length() > MAX_ACTOR_LENGTH) {
            throw ProblemException.invalid(List.of(new Violation("actor", "must be at most " + MAX_ACTOR_LENGTH + " characters")));
        }
        Instant from = Params.instantParam("since", since);
        Long before = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ProblemException.invalid(List.of(new Violation("cursor", "is not a cursor this list gave")));
            }
        }
        return log.list(actor == null || actor.isBlank() ? null : actor, from, before, Params.intParam("limit", limit, 100, 1, 500));
    }
}
