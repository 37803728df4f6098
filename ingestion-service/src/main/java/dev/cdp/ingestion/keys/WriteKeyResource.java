package dev.cdp.ingestion.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.Params;
import dev.cdp.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
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

/** Write keys managed over the API, for {@code admin}: made, listed (masked), changed, rotated, revoked. */
@Path("/write-keys")
@Tag(name = "write keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class WriteKeyResource {

    private final WriteKeyService service;
    private final SecurityIdentity caller;

    public WriteKeyResource(WriteKeyService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a key: {\"name\", \"source\" (web, app, pos, ...), \"allowedOrigins\": [...] (browser pages that may "
            + "send with it; empty: the source's), \"ratePerSecond\" (messages a second per replica; default 1000)}; 201 with the "
            + "key, shown this once. It works within seconds on every replica, without a restart.")
    public Uni<RestResponse<WriteKeyView>> create(JsonNode body, UriInfo uri) {
        String actor = caller.getPrincipal().getName();
        return service.create(body, actor).map(key -> created(uri, key));
    }

    @GET
    @Operation(summary = "Every managed key, newest first, masked (the hint, never the key), with its status: ACTIVE, EXPIRING "
            + "(rotated, works until expiresAt), EXPIRED or REVOKED. Keys of CDP_WRITE_KEYS are not listed.")
    public Uni<List<WriteKeyView>> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One managed key, masked")
    public Uni<WriteKeyView> get(@PathParam("id") String id) {
        return service.get(Params.uuidParam("id", id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change name, allowedOrigins or ratePerSecond; the source and the key stay")
    public Uni<WriteKeyView> update(@PathParam("id") String id, JsonNode body) {
        return service.update(Params.uuidParam("id", id), body);
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "A new key for the same source, origins and rate: {\"overlap\": \"PT24H\"} (ISO-8601, default PT24H, at "
            + "most P30D) is how long the old key keeps working, so senders move over without losing a call; 201 with the new "
            + "key, shown this once")
    public Uni<RestResponse<WriteKeyView>> rotate(@PathParam("id") String id, JsonNode body, UriInfo uri) {
        String actor = caller.getPrincipal().getName();
        return service.rotate(Params.uuidParam("id", id), body, actor).map(key -> created(uri, key));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke the key: calls with it are refused (401) at once on this replica and within seconds on the others")
    public Uni<Void> revoke(@PathParam("id") String id) {
        return service.revoke(Params.uuidParam("id", id));
    }

    /** 201 with the new key and where it can be read again (masked). */
    private static RestResponse<WriteKeyView> created(UriInfo uri, WriteKeyView key) {
        return RestResponse.ResponseBuilder.<WriteKeyView>created(uri.getBaseUriBuilder().path("write-keys").path(key.id().toString()).build())
                .entity(key).build();
    }
}
