package dev.cdp.ingestion.rest;

import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.ingestion.rest.IntakeRequests.Parsed;
import dev.cdp.ingestion.rest.IntakeResponses.Accepted;
import dev.cdp.ingestion.rest.IntakeResponses.BatchAccepted;
import dev.cdp.ingestion.service.IntakeMetrics;
import dev.cdp.ingestion.service.IntakeService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Segment HTTP Tracking API. Authenticate with HTTP Basic, the source's write key as user name and an empty
 * password, or with {@code writeKey} in the body. Every call answers once Kafka has the message(s). Bodies are JSON,
 * also when labelled {@code text/plain} (browsers) or form-encoded (RudderStack's Node SDK), and may be gzip or deflate
 * compressed. The paths analytics.js uses ({@code /v1/t}, {@code /v1/i}, ..., {@code /v1/b}) are the same calls.
 */
@PermitAll // tracking calls carry a write key, which the intake checks itself
@Path("/v1")
@Tag(name = "tracking", description = "Segment-compatible HTTP Tracking API")
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
    public CompletionStage<Accepted> identify(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.IDENTIFY, call, body);
    }

    @POST
    @Path("/track")
    @Operation(summary = "What the user did: event and properties (Segment track)")
    public CompletionStage<Accepted> track(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.TRACK, call, body);
    }

    @POST
    @Path("/page")
    @Operation(summary = "A web page the user saw (Segment page)")
    public CompletionStage<Accepted> page(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.PAGE, call, body);
    }

    @POST
    @Path("/screen")
    @Operation(summary = "An app screen the user saw (Segment screen)")
    public CompletionStage<Accepted> screen(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.SCREEN, call, body);
    }

    @POST
    @Path("/group")
    @Operation(summary = "The group, company or household the user belongs to (Segment group)")
    public CompletionStage<Accepted> group(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.GROUP, call, body);
    }

    @POST
    @Path("/alias")
    @Operation(summary = "Link a previous id (previousId) to the user's id (Segment alias)")
    public CompletionStage<Accepted> alias(@BeanParam IntakeCall call, byte[] body) {
        return single(MessageType.ALIAS, call, body);
    }

    @POST
    @Path("/{call: [itpsga]}")
    @Operation(summary = "The same calls on analytics.js's short paths: i(dentify), t(rack), p(age), s(creen), g(roup), a(lias)")
    public CompletionStage<Accepted> shortPath(@PathParam("call") String call, @BeanParam IntakeCall intakeCall, byte[] body) {
        MessageType type = switch (call) {
            case "i" -> MessageType.IDENTIFY;
            case "t" -> MessageType.TRACK;
            case "p" -> MessageType.PAGE;
            case "s" -> MessageType.SCREEN;
            case "g" -> MessageType.GROUP;
            default -> MessageType.ALIAS;
        };
        return single(type, intakeCall, body);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Up to 2,500 messages of any type in one request (Segment batch)",
            description = "Partial: valid messages are accepted and each invalid one is reported by JSON pointer. "
                    + "When no message is valid the answer is a 400 problem. The batch's context and integrations "
                    + "apply to every message, and its sentAt to those without their own. Messages of type "
                    + "transaction are POS transactions.")
    public CompletionStage<BatchAccepted> batch(@BeanParam IntakeCall call, byte[] body) {
        metrics.requestSize("batch", body.length);
        Parsed parsed = requests.batch(call, body);
        String source = requests.source(call, parsed.writeKey(), parsed.envelopes().size());
        return intake.accept(source, parsed.envelopes(), Optional.empty(), parsed.sentAt()).thenApply(BatchAccepted::of);
    }

    @POST
    @Path("/b")
    @Operation(summary = "The batch call on the path of analytics.js's batching delivery")
    public CompletionStage<BatchAccepted> shortBatch(@BeanParam IntakeCall call, byte[] body) {
        return batch(call, body);
    }

    /** Documented with the file import in META-INF/openapi.yaml: one path, two kinds of body. */
    @POST
    @Path("/import")
    @Operation(hidden = true)
    public CompletionStage<BatchAccepted> importBatch(@BeanParam IntakeCall call, byte[] body) {
        return batch(call, body);
    }

    @POST
    @Path("/m")
    @Operation(summary = "analytics.js's telemetry about itself: answered and not kept (it holds no customer data)")
    public void libraryMetrics() {
        // Sent by analytics.js when its settings ask for metrics; ours ask for none, inline settings may.
    }

    private CompletionStage<Accepted> single(MessageType type, IntakeCall call, byte[] body) {
        metrics.requestSize(type.wireName(), body.length);
        Parsed parsed = requests.single(call, body);
        String source = requests.source(call, parsed.writeKey(), 1);
        return intake.accept(source, parsed.envelopes(), Optional.of(type), null).thenApply(Accepted::of);
    }
}
