package dev.cdp.profile.rest;

import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.profile.domain.Customer;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.domain.Interaction;
import dev.cdp.profile.service.ProfileQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Customer profiles, as built from the event stream. */
@Path("/profiles")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    static final int MAX_ID_LENGTH = 255;
    static final int MAX_LIMIT = 500;

    private final ProfileQueries profiles;

    public ProfileResource(ProfileQueries profiles) {
        this.profiles = profiles;
    }

    /** A customer and every identifier they are known by. */
    public record ProfileView(UUID customerId, List<Identity> identities, Instant createdAt, Instant updatedAt) {
        static ProfileView of(Customer customer) {
            return new ProfileView(customer.customerId(), customer.identities(), customer.createdAt(), customer.updatedAt());
        }
    }

    /** A page of interactions, newest first. */
    public record InteractionPage(UUID customerId, List<Interaction> items) {
    }

    @GET
    @Path("/lookup")
    @Operation(summary = "Find a customer by one identifier (exactly one of userId or anonymousId)")
    public Uni<ProfileView> lookup(@QueryParam("userId") String userId, @QueryParam("anonymousId") String anonymousId) {
        return profiles.byIdentity(identity(userId, anonymousId)).map(ProfileView::of);
    }

    @GET
    @Path("/{customerId}")
    @Operation(summary = "A customer by customerId")
    public Uni<ProfileView> get(@PathParam("customerId") String customerId) {
        return profiles.byId(Params.uuidParam("customerId", customerId)).map(ProfileView::of);
    }

    @GET
    @Path("/{customerId}/interactions")
    @Operation(summary = "The customer's latest interactions (track calls), newest first; limit 1-500, default 50")
    public Uni<InteractionPage> interactions(@PathParam("customerId") String customerId,
            @QueryParam("limit") String limit) {
        UUID id = Params.uuidParam("customerId", customerId);
        return profiles.latestInteractions(id, Params.intParam("limit", limit, 50, 1, MAX_LIMIT))
                .map(items -> new InteractionPage(id, items));
    }

    private static Identity identity(String userId, String anonymousId) {
        List<Violation> violations = new ArrayList<>();
        if ((userId == null) == (anonymousId == null)) {
            violations.add(new Violation(userId == null ? "userId" : "anonymousId", "give exactly one of userId or anonymousId"));
        }
        String value = userId != null ? userId : anonymousId;
        if (value != null && (value.isBlank() || value.length() > MAX_ID_LENGTH)) {
            violations.add(new Violation(userId != null ? "userId" : "anonymousId", "must be 1 to " + MAX_ID_LENGTH + " characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new Identity(userId != null ? IdentityType.userId : IdentityType.anonymousId, value);
    }
}
