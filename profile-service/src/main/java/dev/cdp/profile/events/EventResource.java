package dev.cdp.profile.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Audited;
import dev.cdp.security.Masking;
import dev.cdp.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The live event debugger's source: the newest messages stored, as they were received. Traits are personal data, so a
 * reader without {@code pii-reader} sees which traits came but not their values.
 */
@RolesAllowed({Roles.MARKETER, Roles.PII_READER})
@Path("/events")
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_SOURCE = 64;

    /** The answer: the messages, newest first, and the newest row id, to ask for what came after it next time. */
    public record Recent(List<StoredEvent> items, long latest) {
    }

    private final RecentEvents events;
    private final SecurityIdentity caller;

    public EventResource(RecentEvents events, SecurityIdentity caller) {
        this.events = events;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The newest messages stored (bronze), newest first, optionally of one source and only those after "
            + "row `after` (what the previous answer called `latest`); limit 1-200, default 50; among the last 50,000 stored")
    @Audited
    public Uni<Recent> recent(@QueryParam("source") String source, @QueryParam("after") String after, @QueryParam("limit") String limit) {
        long since = Params.longParam("after", after, 0, 0, Long.MAX_VALUE);
        String of = source == null || source.isBlank() ? null : source.strip();
        if (of != null && of.length() > MAX_SOURCE) {
            throw ProblemException.invalid(List.of(new Violation("source", "must be a source name of at most " + MAX_SOURCE + " characters")));
        }
        int size = Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean full = caller.hasRole(Roles.PII_READER);
        return events.after(since, of, size).map(found -> new Recent(full ? found : found.stream().map(EventResource::masked).toList(),
                found.isEmpty() ? since : found.get(0).id()));
    }

    /** The message with every trait's value (top level and in the context) masked, and the client's IP address left out. */
    static StoredEvent masked(StoredEvent event) {
        JsonNode payload = event.payload().deepCopy();
        if (payload instanceof ObjectNode object) {
            maskTraits(object);
            if (object.get("context") instanceof ObjectNode context) {
                maskTraits(context);
                context.remove("ip");
            }
        }
        return new StoredEvent(event.id(), event.source(), event.messageId(), event.type(), event.event(), event.userId(),
                event.anonymousId(), event.occurredAt(), event.receivedAt(), event.storedAt(), payload);
    }

    private static void maskTraits(ObjectNode node) {
        if (node.get("traits") instanceof ObjectNode traits) {
            List<String> names = new java.util.ArrayList<>();
            traits.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> traits.put(name, Masking.hidden(name)));
        }
    }
}
