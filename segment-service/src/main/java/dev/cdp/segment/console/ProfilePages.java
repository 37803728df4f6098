package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.security.Roles;
import dev.cdp.segment.rest.CustomerSegmentsResource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Finding a customer and their page. profile-service answers with the reader's own token, so it masks personal data
 * unless they hold pii-reader and records the read in its audit log; the console adds nothing it did not answer.
 */
@Path("/console/profiles")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ProfilePages {

    private static final int RECENT = 20;
    private static final int TIMELINE = 50;
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()-]{7,20}");
    private static final int MAX_QUERY = 255;

    private final ProfileApi profiles;
    private final CustomerSegmentsResource memberships;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final Template search;
    private final Template customer;

    public ProfilePages(@RestClient ProfileApi profiles, CustomerSegmentsResource memberships, SecurityIdentity identity, ConsoleConfig config,
            @Location("console/profiles.html") Template search, @Location("console/customer.html") Template customer) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.identity = identity;
        this.config = config;
        this.search = search;
        this.customer = customer;
    }

    /**
     * The recently updated customers, or the one a query names: a customer id, an email, a phone number, else a user
     * id, loyalty card or anonymous id (tried in that order), else a city.
     */
    @GET
    public Uni<TemplateInstance> search(@QueryParam("q") String query, @Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "profiles");
        String q = query == null ? "" : query.strip();
        if (q.length() > MAX_QUERY) {
            q = q.substring(0, MAX_QUERY);
        }
        String authorization = UserToken.header(identity);
        Uni<List<CustomerView.Summary>> found;
        if (q.isEmpty()) {
            found = profiles.search(null, RECENT, authorization).map(result -> CustomerView.Summary.of(result, page.fmt()));
        } else if (UUID_TEXT.matcher(q).matches()) {
            found = one(profiles.get(q, authorization));
        } else if (q.contains("@")) {
            found = one(profiles.lookup(null, null, q, null, null, authorization));
        } else if (PHONE.matcher(q).matches() && q.chars().filter(Character::isDigit).count() >= 7) {
            found = one(profiles.lookup(null, null, null, q, null, authorization));
        } else {
            String text = q;
            found = one(profiles.lookup(text, null, null, null, null, authorization))
                    .chain(list -> list.isEmpty() ? one(profiles.lookup(null, null, null, null, text, authorization)) : Uni.createFrom().item(list))
                    .chain(list -> list.isEmpty() ? one(profiles.lookup(null, text, null, null, null, authorization)) : Uni.createFrom().item(list))
                    .chain(list -> list.isEmpty() ? profiles.search(text, RECENT, authorization).map(r -> CustomerView.Summary.of(r, page.fmt()))
                            : Uni.createFrom().item(list));
        }
        String shown = q;
        return found.map(results -> page.render(search.data("query", shown).data("results", results).data("problem", null)))
                .onFailure().recoverWithItem(failure -> page.render(search.data("query", shown).data("results", List.of())
                        .data("problem", ConsoleProblems.of(failure, "profile-service", ConsoleProblems.PROFILE_READERS))));
    }

    @GET
    @Path("/{customerId}")
    public Uni<TemplateInstance> customer(@PathParam("customerId") String customerId, @Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "profiles");
        if (!UUID_TEXT.matcher(customerId).matches()) {
            throw new WebApplicationException(404);
        }
        String authorization = UserToken.header(identity);
        return Uni.combine().all().unis(profiles.get(customerId, authorization), profiles.transactions(customerId, TIMELINE, authorization),
                        profiles.interactions(customerId, TIMELINE, authorization), memberships.segmentsOf(customerId))
                .asTuple()
                .map(all -> page.render(customer.data("customer",
                        CustomerView.of(all.getItem1(), all.getItem2(), all.getItem3(), all.getItem4(), page.fmt())).data("problem", null)))
                .onFailure().recoverWithItem(failure -> page.render(customer.data("customer", null)
                        .data("problem", ConsoleProblems.of(failure, "profile-service", ConsoleProblems.PROFILE_READERS))));
    }

    /** A lookup's one customer, or none when no customer is known by it. */
    private static Uni<List<CustomerView.Summary>> one(Uni<JsonNode> lookup) {
        return lookup.map(CustomerView.Summary::of).onFailure(ConsoleProblems::isNotFound).recoverWithItem(List.of());
    }
}
