package dev.cdp.export.delivery;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Meta's Marketing API, custom audiences (platform-apis.md §1). The access token travels in the JSON body of writes
 * (never in a URL, where proxies log it) and as a parameter of the one read. Bodies are prepared JSON bytes: a
 * 10,000-row payload is built once by the connector.
 */
@Path("/{version}")
@Produces(MediaType.APPLICATION_JSON)
public interface MetaApi {

    @GET
    @Path("/act_{account}")
    Response account(@PathParam("version") String version, @PathParam("account") String account, @QueryParam("fields") String fields,
            @QueryParam("access_token") String accessToken, @QueryParam("appsecret_proof") String appSecretProof);

    @POST
    @Path("/act_{account}/customaudiences")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createAudience(@PathParam("version") String version, @PathParam("account") String account, byte[] body);

    @POST
    @Path("/{audience}/users")
    @Consumes(MediaType.APPLICATION_JSON)
    Response addUsers(@PathParam("version") String version, @PathParam("audience") String audience, byte[] body);

    /** A real DELETE with a body: Meta refuses the {@code ?method=DELETE} override from v27. */
    @DELETE
    @Path("/{audience}/users")
    @Consumes(MediaType.APPLICATION_JSON)
    Response removeUsers(@PathParam("version") String version, @PathParam("audience") String audience, byte[] body);

    @POST
    @Path("/{audience}/usersreplace")
    @Consumes(MediaType.APPLICATION_JSON)
    Response replaceUsers(@PathParam("version") String version, @PathParam("audience") String audience, byte[] body);

    /** Conversions API: up to 1,000 events to a pixel (dataset), the token in the body (platform-apis.md §4). */
    @POST
    @Path("/{pixel}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    Response events(@PathParam("version") String version, @PathParam("pixel") String pixel, byte[] body);
}
