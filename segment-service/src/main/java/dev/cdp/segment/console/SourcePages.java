package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sources and their write keys (ingestion-service, admins only), with the snippet a website pastes. A new or rotated
 * key is shown once, in the answer that made it, as the API does.
 */
@Path("/console/sources")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class SourcePages {

    private final IngestionApi ingestion;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final Template page;

    public SourcePages(@RestClient IngestionApi ingestion, SecurityIdentity identity, ConsoleConfig config, ObjectMapper json,
            @Location("console/sources.html") Template page) {
        this.ingestion = ingestion;
        this.identity = identity;
        this.config = config;
        this.json = json;
        this.page = page;
    }

    /** A write key as the list shows it. */
    @TemplateData
    public record Key(String id, String name, String source, String hint, String origins, String rate, String status, String createdAt,
            String createdBy) {
    }

    /** A key just made: the secret itself, once. */
    @TemplateData
    public record NewKey(String key, String source) {

        /** From ingestion-service's answer to a creation or rotation, the only answer that holds the key. */
        static NewKey of(JsonNode made) {
            return new NewKey(made.path("key").asText(), made.path("source").asText());
        }
    }

    @GET
    public Uni<TemplateInstance> sources(@Context HttpHeaders headers) {
        return render(ConsolePage.of(identity, headers, config, "sources"), null);
    }

    @POST
    @Path("/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> create(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "sources");
        ObjectNode body = json.createObjectNode().put("name", text(form.getFirst("name"))).put("source", text(form.getFirst("source")));
        String origins = text(form.getFirst("origins"));
        if (!origins.isEmpty()) {
            Arrays.stream(origins.split("\\s+")).forEach(body.putArray("allowedOrigins")::add);
        }
        String rate = text(form.getFirst("rate"));
        if (!rate.isEmpty()) {
            body.put("ratePerSecond", rate.matches("\\d{1,9}") ? (JsonNode) json.getNodeFactory().numberNode(Integer.parseInt(rate))
                    : json.getNodeFactory().textNode(rate));
        }
        return ingestion.create(body, UserToken.header(identity))
                .chain(made -> render(console, NewKey.of(made)))
                .onFailure().recoverWithUni(failure -> refused(console, failure));
    }

    @POST
    @Path("/keys/{id}/rotate")
    public Uni<TemplateInstance> rotate(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "sources");
        return ingestion.rotate(id, json.createObjectNode(), UserToken.header(identity))
                .chain(made -> render(console, NewKey.of(made)))
                .onFailure().recoverWithUni(failure -> refused(console, failure));
    }

    @POST
    @Path("/keys/{id}/revoke")
    public Uni<Object> revoke(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "sources");
        return ingestion.revoke(id, UserToken.header(identity))
                .<Object>map(done -> Response.ok().header("HX-Redirect", "/console/sources").build())
                .onFailure().recoverWithUni(failure -> refused(console, failure).map(page -> page));
    }

    /** The page again, saying why ingestion-service did not do it. */
    private Uni<TemplateInstance> refused(ConsolePage console, Throwable failure) {
        return render(console, null).map(done -> done.data("problem", ConsoleProblems.of(failure, "ingestion-service", Roles.ADMIN)));
    }

    private Uni<TemplateInstance> render(ConsolePage console, NewKey made) {
        return ingestion.keys(UserToken.header(identity))
                .map(keys -> console.render(page.data("keys", keys(keys, console.fmt())).data("made", made).data("problem", null)
                        .data("collect", config.collectUrl())))
                .onFailure().recoverWithItem(failure -> console.render(page.data("keys", List.of()).data("made", made)
                        .data("problem", ConsoleProblems.of(failure, "ingestion-service", Roles.ADMIN)).data("collect", config.collectUrl())));
    }

    private static List<Key> keys(JsonNode answer, ConsoleFormat fmt) {
        List<Key> keys = new ArrayList<>();
        for (JsonNode key : answer) {
            List<String> origins = new ArrayList<>();
            key.path("allowedOrigins").forEach(origin -> origins.add(origin.asText()));
            Instant created = ConsoleFormat.instant(key.path("createdAt"));
            keys.add(new Key(key.path("id").asText(), key.path("name").asText(""), key.path("source").asText(), key.path("keyHint").asText(),
                    String.join(" ", origins), fmt.number(key.path("ratePerSecond").asLong()), key.path("status").asText(),
                    fmt.dateTime(created), key.path("createdBy").asText("")));
        }
        return keys;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
