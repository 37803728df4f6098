package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The live event debugger: the newest messages stored, per source, growing as they arrive (the page asks every two
 * seconds for what came after the newest it shows). profile-service masks traits unless the reader holds pii-reader.
 */
@Path("/console/events")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class EventPages {

    private static final int FIRST = 50;
    private static final int MORE = 200;
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ProfileApi profiles;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final Template page;
    private final Template rows;

    public EventPages(@RestClient ProfileApi profiles, SecurityIdentity identity, ConsoleConfig config,
            @Location("console/events.html") Template page, @Location("console/event-rows.html") Template rows) {
        this.profiles = profiles;
        this.identity = identity;
        this.config = config;
        this.page = page;
        this.rows = rows;
    }

    /** One message as the debugger lists it. */
    @TemplateData
    public record Row(long id, String received, String iso, String source, String type, String event, String who, String payload) {
    }

    @GET
    public Uni<TemplateInstance> events(@QueryParam("source") String source, @Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "events");
        String chosen = source(source);
        return profiles.events(chosen, 0, FIRST, UserToken.header(identity))
                .map(answer -> console.render(page.data("source", chosen == null ? "" : chosen).data("rows", rows(answer, console.fmt()))
                        .data("latest", answer.path("latest").asLong()).data("problem", null)))
                .onFailure().recoverWithItem(failure -> console.render(page.data("source", chosen == null ? "" : chosen).data("rows", List.of())
                        .data("latest", 0L).data("problem", ConsoleProblems.of(failure, "profile-service", ConsoleProblems.PROFILE_READERS))));
    }

    /** What came after row {@code after}: new rows for the top of the list, and the poller asking from the newest on. */
    @GET
    @Path("/rows")
    public Uni<TemplateInstance> more(@QueryParam("source") String source, @QueryParam("after") String after, @Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "events");
        String chosen = source(source);
        long since = after != null && after.matches("\\d{1,18}") ? Long.parseLong(after) : 0;
        return profiles.events(chosen, since, MORE, UserToken.header(identity))
                .map(answer -> console.render(rows.data("source", chosen == null ? "" : chosen).data("more", rows(answer, console.fmt()))
                        .data("latest", Math.max(since, answer.path("latest").asLong()))))
                .onFailure().recoverWithItem(failure -> console.render(rows.data("source", chosen == null ? "" : chosen)
                        .data("more", List.of()).data("latest", since)));
    }

    private static String source(String given) {
        return given != null && SOURCE.matcher(given.strip()).matches() ? given.strip() : null;
    }

    private List<Row> rows(JsonNode answer, ConsoleFormat fmt) {
        List<Row> found = new ArrayList<>();
        for (JsonNode event : answer.path("items")) {
            Instant received = ConsoleFormat.instant(event.path("receivedAt"));
            String who = event.path("userId").isTextual() ? event.path("userId").asText() : event.path("anonymousId").asText("");
            found.add(new Row(event.path("id").asLong(), fmt.dateTime(received), fmt.iso(received), event.path("source").asText(),
                    event.path("type").asText(), event.path("event").asText(""), who, ConsoleFormat.json(event.path("payload"))));
        }
        return found;
    }

}
