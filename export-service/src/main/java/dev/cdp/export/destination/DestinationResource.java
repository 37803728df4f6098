package dev.cdp.export.destination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.Params;
import dev.cdp.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Connections to ad accounts and webhook endpoints. Credentials go in and never come out. */
@RolesAllowed(Roles.VIEWER)
@Path("/destinations")
@Tag(name = "destinations")
@Produces(MediaType.APPLICATION_JSON)
public class DestinationResource {

    private final DestinationService service;

    public DestinationResource(DestinationService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Connect an ad account or a webhook: {\"name\", \"kind\": META|GOOGLE|TIKTOK|WEBHOOK, \"settings\", \"credentials\"}; "
            + "credentials are sealed and never returned (a webhook's generated signingSecret is shown once, in this answer)")
    @RolesAllowed(Roles.ADMIN)
    public Uni<RestResponse<DestinationView>> create(JsonNode body, UriInfo uri) {
        return service.create(body).map(created -> RestResponse.ResponseBuilder.<DestinationView>created(
                uri.getBaseUriBuilder().path("destinations").path(created.id().toString()).build()).entity(created).build());
    }

    @GET
    @Operation(summary = "Every destination, by name: settings, which credentials are set (not their values), status")
    public Uni<List<DestinationView>> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A destination; status NEEDS_ATTENTION says why its platform refused it")
    public Uni<DestinationView> get(@PathParam("id") String id) {
        return service.get(Params.uuidParam("id", id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename it, or replace its settings or its credentials (each as a whole); new credentials clear NEEDS_ATTENTION")
    @RolesAllowed(Roles.ADMIN)
    public Uni<DestinationView> update(@PathParam("id") String id, JsonNode body) {
        return service.update(Params.uuidParam("id", id), body);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a destination no sync uses (409 otherwise)")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Void> delete(@PathParam("id") String id) {
        return service.delete(Params.uuidParam("id", id));
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Make a harmless call to the platform with the destination's credentials and report what it said")
    @RolesAllowed(Roles.ADMIN)
    public Uni<DestinationService.ConnectionTest> test(@PathParam("id") String id) {
        return service.test(Params.uuidParam("id", id));
    }
}
