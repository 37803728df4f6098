package dev.cdp.export.privacy;

import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Erasures as profile-service hands them over (the {@code service} role), once the customers are gone from the
 * profile; administrators may follow them here too. Requests to erase someone go to profile-service's
 * {@code POST /privacy/erasures}.
 */
@Path("/privacy/erasures/{id}")
@Tag(name = "privacy")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ErasureResource {

    static final int MAX_CUSTOMERS = 10_000;

    private final ExportErasures erasures;

    public ErasureResource(ExportErasures erasures) {
        this.erasures = erasures;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Take these customers out of every kept export file and every synced audience: "
            + "{\"customerIds\": [...]}; called again, it only answers how far the erasure is")
    public ErasureReport erase(@PathParam("id") String id, Customers body) {
        UUID erasureId = Params.uuidParam("id", id);
        if (body == null || body.customerIds() == null || body.customerIds().isEmpty() || body.customerIds().contains(null)) {
            throw ProblemException.invalid(List.of(new Violation("customerIds", "must be a list of customer ids")));
        }
        if (body.customerIds().size() > MAX_CUSTOMERS) {
            throw ProblemException.invalid(List.of(new Violation("customerIds", "must hold at most " + MAX_CUSTOMERS + " ids")));
        }
        return erasures.register(erasureId, body.customerIds());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "How far an erasure is in export-service")
    public ErasureReport get(@PathParam("id") String id) {
        UUID erasureId = Params.uuidParam("id", id);
        return erasures.report(erasureId).orElseThrow(() -> ProblemException.notFound("There is no erasure " + erasureId));
    }

    public record Customers(List<UUID> customerIds) {
    }
}
