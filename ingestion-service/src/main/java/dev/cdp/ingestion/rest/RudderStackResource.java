package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.ingestion.rest.IntakeResponses.BatchAccepted;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What RudderStack's JavaScript SDK needs besides the Segment calls: its source configuration ({@code configUrl}), and
 * the path of its beacon transport ({@code navigator.sendBeacon}, used when told to and as a page unloads), where the
 * write key comes as the {@code writeKey} query parameter because a beacon cannot set headers.
 */
@PermitAll // tracking calls carry a write key, which the intake checks itself
@Path("/")
@Tag(name = "tracking")
@Produces(MediaType.APPLICATION_JSON)
public class RudderStackResource {

    private final TrackingResource tracking;
    private final IntakeRequests requests;
    private final ObjectMapper json;

    public RudderStackResource(TrackingResource tracking, IntakeRequests requests, ObjectMapper json) {
        this.tracking = tracking;
        this.requests = requests;
        this.json = json;
    }

    @POST
    @Path("/beacon/v1/batch")
    @Operation(summary = "A batch sent as a beacon (RudderStack's beacon transport), the write key in the query")
    public CompletionStage<BatchAccepted> beacon(@BeanParam IntakeCall call, byte[] body) {
        return tracking.batch(call, body);
    }

    /** Written as JSON text, as {@link SegmentSettingsResource} says why. */
    @GET
    @Path("/sourceConfig")
    @Operation(summary = "The source configuration RudderStack's JavaScript SDK loads (its configUrl): enabled, no destinations",
            description = "Point the SDK's configUrl at this service, and its dataPlaneUrl: it then needs nothing else.")
    public String sourceConfig(@BeanParam IntakeCall call) {
        String source = requests.source(call, null, 0);
        ObjectNode config = json.createObjectNode();
        ObjectNode entry = config.putObject("source").put("id", source).put("name", source).put("enabled", true);
        entry.putObject("config");
        entry.putArray("destinations");
        return config.toString();
    }
}
