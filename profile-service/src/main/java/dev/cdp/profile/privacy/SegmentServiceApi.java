package dev.cdp.profile.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** segment-service, as an erasure calls it (as this service: the {@code service} role). */
@RegisterRestClient(configKey = "segment-service")
@Path("/profiles/{customerId}/segments")
public interface SegmentServiceApi {

    /** Re-evaluates the customer now; the answer is the segments they are still in (none, once they are erased). */
    @POST
    @Path("/refresh")
    Uni<List<JsonNode>> refresh(@PathParam("customerId") UUID customerId, @HeaderParam("Authorization") String authorization);
}
