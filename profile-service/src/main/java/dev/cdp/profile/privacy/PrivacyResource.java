package dev.cdp.profile.privacy;

import dev.cdp.problem.Page;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.rest.IdentifierParams;
import dev.cdp.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The right to erasure (KVKK/GDPR): requests and their progress, for administrators. */
@RolesAllowed(Roles.ADMIN)
@Path("/privacy/erasures")
@Tag(name = "privacy")
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final Set<String> STATUSES = Set.of(Erasure.ERASING, Erasure.COMPLETED);

    private final ErasureRepository erasures;
    private final String defaultPhoneRegion;
    private final SecurityIdentity caller;

    public PrivacyResource(ErasureRepository erasures, @ConfigProperty(name = "cdp.profile.default-phone-region") String defaultPhoneRegion,
            SecurityIdentity caller) {
        this.erasures = erasures;
        this.defaultPhoneRegion = defaultPhoneRegion;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Erase a customer, named by exactly one of customerId, userId, anonymousId, email, phone or loyaltyCard: "
            + "their identifiers are suppressed at once (later events naming them are dropped), then every layer, their "
            + "memberships, export files and synced audiences are cleared in the background; 202 with the erasure to follow. "
            + "An identifier nobody holds is suppressed alone; an unknown customerId is 404")
    public Uni<RestResponse<Erasure>> request(ErasureRequest body, UriInfo uri) {
        ErasureRequest given = body == null ? new ErasureRequest(null, null, null, null, null, null) : body;
        UUID customerId = null;
        Identity identity = null;
        if (given.customerId() != null && !given.customerId().isBlank()) {
            if (IdentifierParams.anyGiven(given.userId(), given.anonymousId(), given.email(), given.phone(), given.loyaltyCard())) {
                throw IdentifierParams.invalid("customerId", "give exactly one of customerId, userId, anonymousId, email, phone or loyaltyCard");
            }
            customerId = Params.uuidParam("customerId", given.customerId());
        } else {
            identity = IdentifierParams.exactlyOne(given.userId(), given.anonymousId(), given.email(), given.phone(), given.loyaltyCard(),
                    defaultPhoneRegion);
        }
        UUID named = customerId;
        return erasures.request(customerId, identity, caller.getPrincipal().getName())
                .map(erasure -> erasure.orElseThrow(() -> ProblemException.notFound("There is no customer " + named)))
                .map(erasure -> RestResponse.ResponseBuilder.<Erasure>accepted()
                        .location(uri.getBaseUriBuilder().path("privacy").path("erasures").path(erasure.id().toString()).build())
                        .entity(erasure).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An erasure and its progress")
    public Uni<Erasure> get(@PathParam("id") String id) {
        UUID erasureId = Params.uuidParam("id", id);
        return erasures.get(erasureId).map(erasure -> {
            if (erasure == null) {
                throw ProblemException.notFound("There is no erasure " + erasureId);
            }
            return erasure;
        });
    }

    @GET
    @Operation(summary = "Erasures, newest first, optionally in one status (ERASING, COMPLETED); paged by cursor (limit 1-500, default 50)")
    public Uni<Page<Erasure>> list(@QueryParam("status") String status, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw IdentifierParams.invalid("status", "must be ERASING or COMPLETED");
        }
        Long before = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw IdentifierParams.invalid("cursor", "is not a cursor this list gave");
            }
        }
        return erasures.list(status == null || status.isBlank() ? null : status, before, Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }
}
