package dev.cdp.profile.rest;

import dev.cdp.events.TextKeys;
import dev.cdp.problem.Page;
import dev.cdp.problem.Params;
import dev.cdp.profile.domain.ConsentChange;
import dev.cdp.profile.domain.Interaction;
import dev.cdp.profile.domain.LayerCounts;
import dev.cdp.profile.domain.Profile;
import dev.cdp.profile.domain.ProfileSummary;
import dev.cdp.profile.domain.Transaction;
import dev.cdp.profile.service.Cleaning;
import dev.cdp.profile.service.ProfileQueries;
import dev.cdp.security.Audited;
import dev.cdp.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Customer profiles, as built from the event stream. */
@RolesAllowed({Roles.MARKETER, Roles.PII_READER})
@Path("/profiles")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final ProfileQueries profiles;
    private final String defaultPhoneRegion;
    private final SecurityIdentity caller;

    public ProfileResource(ProfileQueries profiles, @ConfigProperty(name = "cdp.profile.default-phone-region") String defaultPhoneRegion,
            SecurityIdentity caller) {
        this.profiles = profiles;
        this.defaultPhoneRegion = defaultPhoneRegion;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Search live customers: by city (matched folded, so Istanbul finds İstanbul), segment and "
            + "last update; ordered by last update, paged by cursor (limit 1-500, default 50)")
    @Audited
    public Uni<Page<ProfileSummary>> search(@QueryParam("city") String city, @QueryParam("segment") String segment,
            @QueryParam("updatedSince") String updatedSince, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        IdentifierParams.checkLength("city", city);
        IdentifierParams.checkLength("segment", segment);
        Instant since = Params.instantParam("updatedSince", updatedSince);
        return profiles.search(Cleaning.cityKey(city).orElse(null), Cleaning.trimmed(segment).map(TextKeys::lower).orElse(null),
                since, cursor, Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT))
                .map(readsPii() ? page -> page : ProfileMasking::summaries);
    }

    @GET
    @Path("/stats")
    @Operation(summary = "How many rows each layer holds: raw events (bronze); customers, identities, transactions, interactions "
            + "(silver); customers with facts (gold); quality issues; and how far the consumer is behind on cdp.events.raw",
            description = "consumerLag is the consumer group's lag as last measured (every 5 s by default, for the whole group: "
                    + "every replica answers the same): totalRecords not processed yet, per partition the committed offset (null "
                    + "before the first commit), end offset and records, oldestUnprocessedAgeSeconds (now minus the Kafka "
                    + "timestamp of the oldest unprocessed record, 0 when caught up) and measuredAt. refreshFailure is null while "
                    + "the values are current, otherwise why the broker could not be asked since measuredAt. consumerLag is null "
                    + "before the first measurement.")
    @RolesAllowed(Roles.VIEWER)
    public Uni<LayerCounts> stats() {
        return profiles.counts();
    }

    @GET
    @Path("/lookup")
    @Operation(summary = "Find a customer by exactly one identifier: userId, anonymousId, email, phone or loyaltyCard "
            + "(email and phone are matched as stored: lower case, E.164)")
    @Audited
    public Uni<Profile> lookup(@QueryParam("userId") String userId, @QueryParam("anonymousId") String anonymousId,
            @QueryParam("email") String email, @QueryParam("phone") String phone, @QueryParam("loyaltyCard") String loyaltyCard) {
        return profiles.byIdentity(IdentifierParams.exactlyOne(userId, anonymousId, email, phone, loyaltyCard, defaultPhoneRegion))
                .map(shown());
    }

    @GET
    @Path("/{customerId}")
    @Operation(summary = "A customer: profile, identities, consents, facts and data-quality issues. The id of a customer "
            + "merged into another returns that other customer.")
    @Audited
    public Uni<Profile> get(@PathParam("customerId") String customerId) {
        return profiles.byId(Params.uuidParam("customerId", customerId)).map(shown());
    }

    @GET
    @Path("/{customerId}/transactions")
    @Operation(summary = "The customer's transactions, newest first, paged by cursor (limit 1-500, default 50)")
    @Audited
    public Uni<Page<Transaction>> transactions(@PathParam("customerId") String customerId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return profiles.transactions(Params.uuidParam("customerId", customerId), cursor,
                Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    @GET
    @Path("/{customerId}/consents")
    @Operation(summary = "The customer's consent history: every change per channel with its source, message and time, "
            + "newest first, paged by cursor (limit 1-500, default 50). The profile shows the current state.")
    @Audited
    public Uni<Page<ConsentChange>> consents(@PathParam("customerId") String customerId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return profiles.consentChanges(Params.uuidParam("customerId", customerId), cursor,
                Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    @GET
    @Path("/{customerId}/interactions")
    @Operation(summary = "The customer's interactions (track, page and screen calls), newest first, paged by cursor "
            + "(limit 1-500, default 50)")
    @Audited
    public Uni<Page<Interaction>> interactions(@PathParam("customerId") String customerId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return profiles.interactions(Params.uuidParam("customerId", customerId), cursor,
                Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    /** Personal data is shown in full only to {@code pii-reader}. */
    private boolean readsPii() {
        return caller.hasRole(Roles.PII_READER);
    }

    /** Decided while the request is served, before the database answers. */
    private Function<Profile, Profile> shown() {
        return readsPii() ? profile -> profile : ProfileMasking::profile;
    }



}
