package dev.cdp.segment.rest;

import dev.cdp.problem.Params;
import dev.cdp.security.Roles;
import dev.cdp.segment.domain.Membership;
import dev.cdp.segment.repository.SegmentRepository;
import dev.cdp.segment.service.SegmentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which segments a customer is in. */
@RolesAllowed(Roles.MARKETER)
@Path("/profiles/{customerId}/segments")
@Tag(name = "segments")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerSegmentsResource {

    private final SegmentRepository segments;
    private final SegmentService service;

    public CustomerSegmentsResource(SegmentRepository segments, SegmentService service) {
        this.segments = segments;
        this.service = service;
    }

    @GET
    @Operation(summary = "The segments the customer is in, with when they entered; empty for a customer in none")
    public Uni<List<Membership>> segmentsOf(@PathParam("customerId") String customerId) {
        return segments.segmentsOf(Params.uuidParam("customerId", customerId));
    }

    @POST
    @Path("/refresh")
    @RolesAllowed({Roles.MARKETER, Roles.SERVICE}) // profile-service re-evaluates an erased customer this way
    @Operation(summary = "Re-evaluate the customer against every evaluated segment now (as a profile change does), "
            + "then answer the segments they are in")
    public Uni<List<Membership>> refresh(@PathParam("customerId") String customerId) {
        UUID customer = Params.uuidParam("customerId", customerId);
        return service.reevaluate(List.of(customer)).chain(() -> segments.segmentsOf(customer));
    }
}
