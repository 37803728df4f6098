package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * profile-service's API as the console calls it: always with the signed-in person's own access token, so masking and
 * the audit log there apply to them (docs/console.md).
 */
@RegisterRestClient(configKey = "profile-service")
@Path("/")
public interface ProfileApi {

    @GET
    @Path("profiles")
    Uni<JsonNode> search(@QueryParam("city") String city, @QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("profiles/lookup")
    Uni<JsonNode> lookup(@QueryParam("userId") String userId, @QueryParam("anonymousId") String anonymousId,
            @QueryParam("email") String email, @QueryParam("phone") String phone, @QueryParam("loyaltyCard") String loyaltyCard,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("profiles/{customerId}")
    Uni<JsonNode> get(@PathParam("customerId") String customerId, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("profiles/{customerId}/transactions")
    Uni<JsonNode> transactions(@PathParam("customerId") String customerId, @QueryParam("limit") int limit,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("profiles/{customerId}/interactions")
    Uni<JsonNode> interactions(@PathParam("customerId") String customerId, @QueryParam("limit") int limit,
            @HeaderParam("Authorization") String authorization);

    /** The newest stored messages (the live event debugger). */
    @GET
    @Path("events")
    Uni<JsonNode> events(@QueryParam("source") String source, @QueryParam("after") long after, @QueryParam("limit") int limit,
            @HeaderParam("Authorization") String authorization);
}
