package dev.cdp.ingestion.rest;

import dev.cdp.ingestion.rest.IntakeResponses.BatchAccepted;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * RudderStack's JavaScript SDK sends with {@code navigator.sendBeacon} when told to (and as a page unloads): a beacon
 * cannot set headers, so the write key comes as the {@code writeKey} query parameter.
 */
@Path("/beacon/v1")
@Tag(name = "tracking")
@Produces(MediaType.APPLICATION_JSON)
public class BeaconResource {

    private final TrackingResource tracking;

    public BeaconResource(TrackingResource tracking) {
        this.tracking = tracking;
    }

    @POST
    @Path("/batch")
    @Operation(summary = "A batch sent as a beacon (RudderStack's beacon transport), the write key in the query")
    public CompletionStage<BatchAccepted> batch(@BeanParam IntakeCall call, byte[] body) {
        return tracking.batch(call, body);
    }
}
