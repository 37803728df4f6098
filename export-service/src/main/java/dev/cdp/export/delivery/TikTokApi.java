package dev.cdp.export.delivery;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** TikTok API for Business v1.3, partner audiences (platform-apis.md §3.3). Paths end with a slash, or TikTok answers 404. */
@Path("/open_api/v1.3")
@Produces(MediaType.APPLICATION_JSON)
public interface TikTokApi {

    @GET
    @Path("/advertiser/info/")
    Response advertiser(@HeaderParam("Access-Token") String token, @QueryParam("advertiser_ids") String advertiserIds);

    @POST
    @Path("/segment/audience/")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createAudience(@HeaderParam("Access-Token") String token, byte[] body);

    @POST
    @Path("/segment/mapping/")
    @Consumes(MediaType.APPLICATION_JSON)
    Response mapping(@HeaderParam("Access-Token") String token, byte[] body);

    /** Events API 2.0: up to 1,000 events (platform-apis.md §5). */
    @POST
    @Path("/event/track/")
    @Consumes(MediaType.APPLICATION_JSON)
    Response track(@HeaderParam("Access-Token") String token, byte[] body);
}
