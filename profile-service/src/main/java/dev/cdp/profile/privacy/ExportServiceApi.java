package dev.cdp.profile.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** export-service, as an erasure calls it (as this service: the {@code service} role). */
@RegisterRestClient(configKey = "export-service")
@Path("/privacy/erasures")
public interface ExportServiceApi {

    /**
     * Starts (or, called again, reports) the erasure of these customers from export files and synced audiences; the
     * answer's {@code status} is COMPLETED once nothing of them is left there.
     */
    @PUT
    @Path("/{id}")
    Uni<JsonNode> erase(@PathParam("id") UUID erasureId, Customers customers, @HeaderParam("Authorization") String authorization);

    record Customers(List<UUID> customerIds) {
    }
}
