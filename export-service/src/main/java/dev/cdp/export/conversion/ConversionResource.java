package dev.cdp.export.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.Params;
import dev.cdp.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Conversions forwarded in real time to a destination's pixel or conversion action (docs/conversions.md). */
@RolesAllowed(Roles.VIEWER)
@Path("/destinations/{id}/conversions")
@Tag(name = "conversions")
@Produces(MediaType.APPLICATION_JSON)
public class ConversionResource {

    private final ConversionService service;

    public ConversionResource(ConversionService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Whether the destination forwards conversions, the rules in force (the platform's defaults unless set), the "
            + "test event code, and what happened so far: sent, failed, dropped by reason, waiting, lag")
    public Uni<ConversionView> get(@PathParam("id") String id) {
        return service.get(Params.uuidParam("id", id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set forwarding: {\"enabled\": true, \"testEventCode\": null, \"rules\": [{\"event\": \"transaction\", \"sendAs\": "
            + "\"Purchase\", \"when\": [{\"property\": \"type\", \"op\": \"eq\", \"value\": \"FUEL\"}], \"parameters\": {\"value\": \"amount\", "
            + "\"currency\": \"currency\"}}]}; rules null or absent: the platform's defaults. Applies to the next event; events accepted "
            + "before forwarding was enabled are not sent")
    @RolesAllowed(Roles.ADMIN)
    public Uni<ConversionView> put(@PathParam("id") String id, JsonNode body) {
        return service.put(Params.uuidParam("id", id), body);
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Events the platform refused or that failed after every retry, newest first, with the reason; page with before=<id>")
    public Uni<List<ConversionService.DeadLetter>> deadLetters(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("before") String before) {
        Long cursor = before == null ? null : (long) Params.intParam("before", before, Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        return service.deadLetters(Params.uuidParam("id", id), Params.intParam("limit", limit, 100, 1, 1000), cursor);
    }
}
