package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** ingestion-service's write keys, as the console manages them with the signed-in person's own token (admins only). */
@RegisterRestClient(configKey = "ingestion-service")
@Path("/write-keys")
public interface IngestionApi {

    @GET
    Uni<JsonNode> keys(@HeaderParam("Authorization") String authorization);

    @POST
    Uni<JsonNode> create(JsonNode key, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/{id}/rotate")
    Uni<JsonNode> rotate(@PathParam("id") String id, JsonNode overlap, @HeaderParam("Authorization") String authorization);

    @DELETE
    @Path("/{id}")
    Uni<Void> revoke(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
