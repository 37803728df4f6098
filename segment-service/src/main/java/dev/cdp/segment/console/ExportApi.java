package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** export-service's destinations, syncs, runs and exports, as the console calls them with the signed-in person's token. */
@RegisterRestClient(configKey = "export-service")
@Path("/")
public interface ExportApi {

    @GET
    @Path("destinations")
    Uni<JsonNode> destinations(@HeaderParam("Authorization") String authorization);

    @POST
    @Path("destinations")
    Uni<JsonNode> createDestination(JsonNode destination, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("destinations/{id}/test")
    Uni<JsonNode> testDestination(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("syncs")
    Uni<JsonNode> syncs(@HeaderParam("Authorization") String authorization);

    @POST
    @Path("syncs")
    Uni<JsonNode> createSync(JsonNode sync, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("syncs/{id}")
    Uni<JsonNode> sync(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("syncs/{id}/runs")
    Uni<JsonNode> runs(@PathParam("id") String id, @QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("syncs/{id}/runs")
    Uni<JsonNode> runNow(@PathParam("id") String id, @QueryParam("full") boolean full, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("exports")
    Uni<JsonNode> exports(@QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("exports")
    Uni<JsonNode> startExport(JsonNode export, @HeaderParam("Authorization") String authorization);
}
