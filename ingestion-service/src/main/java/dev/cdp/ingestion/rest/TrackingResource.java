package dev.cdp.ingestion.rest;

import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.ingestion.rest.IntakeRequests.Parsed;
import dev.cdp.ingestion.rest.IntakeResponses.Accepted;
import dev.cdp.ingestion.rest.IntakeResponses.BatchAccepted;
import dev.cdp.ingestion.service.IntakeMetrics;
import dev.cdp.ingestion.service.IntakeService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Segment HTTP Tracking API. Authenticate with HTTP Basic, the source's write key as user name and an empty
 * password, or with {@code writeKey} in the body. Every call answers once Kafka has the message(s).
 */
@Path("/v1")
@Tag(name = "tracking", description = "Segment-compatible HTTP Tracking API")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TrackingResource {

    private final IntakeRequests requests;
    private final IntakeService intake;
    private final IntakeMetrics metrics;

    public TrackingResource(IntakeRequests requests, IntakeService intake, IntakeMetrics metrics) {
        this.requests = requests;
        this.intake = intake;
        this.metrics = metrics;
    }

    @POST
    @Path("/identify")
    @Operation(summary = "Who the user is: userId and traits (Segment identify)")
    public CompletionStage<Accepted> identify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.IDENTIFY, authorization, body);
    }

    @POST
    @Path("/track")
    @Operation(summary = "What the user did: event and properties (Segment track)")
    public CompletionStage<Accepted> track(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.TRACK, authorization, body);
    }

    @POST
    @Path("/page")
    @Operation(summary = "A web page the user saw (Segment page)")
    public CompletionStage<Accepted> page(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.PAGE, authorization, body);
    }

    @POST
    @Path("/screen")
    @Operation(summary = "An app screen the user saw (Segment screen)")
    public CompletionStage<Accepted> screen(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.SCREEN, authorization, body);
    }

    @POST
    @Path("/group")
    @Operation(summary = "The group, company or household the user belongs to (Segment group)")
    public CompletionStage<Accepted> group(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.GROUP, authorization, body);
    }

    @POST
    @Path("/alias")
    @Operation(summary = "Link a previous id (previousId) to the user's id (Segment alias)")
    public CompletionStage<Accepted> alias(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return single(MessageType.ALIAS, authorization, body);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Up to 2,500 messages of any type in one request (Segment batch)",
            description = "Partial: valid messages are accepted and each invalid one is reported by JSON pointer. "
                    + "When no message is valid the answer is a 400 problem. The batch's context and integrations "
                    + "apply to every message. Messages of type transaction are POS transactions.")
    public CompletionStage<BatchAccepted> batch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        metrics.requestSize("batch", body.length);
        Parsed parsed = requests.batch(body);
        String source = requests.source(authorization, parsed.writeKey());
        return intake.accept(source, parsed.envelopes(), Optional.empty()).thenApply(BatchAccepted::of);
    }

    private CompletionStage<Accepted> single(MessageType type, String authorization, byte[] body) {
        metrics.requestSize(type.wireName(), body.length);
        Parsed parsed = requests.single(body);
        String source = requests.source(authorization, parsed.writeKey());
        return intake.accept(source, parsed.envelopes(), Optional.of(type)).thenApply(Accepted::of);
    }
}
