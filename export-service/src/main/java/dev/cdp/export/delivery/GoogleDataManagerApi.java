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

/** Google's Data Manager API, audience members (platform-apis.md §2.1). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface GoogleDataManagerApi {

    @POST
    @Path("/audienceMembers:ingest")
    @Consumes(MediaType.APPLICATION_JSON)
    Response ingest(@HeaderParam("Authorization") String bearer, byte[] body);

    @POST
    @Path("/audienceMembers:remove")
    @Consumes(MediaType.APPLICATION_JSON)
    Response remove(@HeaderParam("Authorization") String bearer, byte[] body);

    @GET
    @Path("/requestStatus:retrieve")
    Response requestStatus(@HeaderParam("Authorization") String bearer, @QueryParam("requestId") String requestId);


    /** Conversions (offline and web) to a Google Ads conversion action, up to 2,000 events a call. */
    @POST
    @Path("/events:ingest")
    @Consumes(MediaType.APPLICATION_JSON)
    Response ingestEvents(@HeaderParam("Authorization") String bearer, byte[] body);
}
