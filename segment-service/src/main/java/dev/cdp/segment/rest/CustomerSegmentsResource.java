package dev.cdp.segment.rest;

import dev.cdp.problem.Params;
import dev.cdp.segment.domain.Membership;
import dev.cdp.segment.repository.SegmentRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which segments a customer is in. */
@Path("/profiles/{customerId}/segments")
@Tag(name = "segments")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerSegmentsResource {

    private final SegmentRepository segments;

    public CustomerSegmentsResource(SegmentRepository segments) {
        this.segments = segments;
    }

    @GET
    @Operation(summary = "The segments the customer is in, with when they entered; empty for a customer in none")
    public Uni<List<Membership>> segmentsOf(@PathParam("customerId") String customerId) {
        return segments.segmentsOf(Params.uuidParam("customerId", customerId));
    }
}
