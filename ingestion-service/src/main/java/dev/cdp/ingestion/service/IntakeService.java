package dev.cdp.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.ingestion.messaging.RawEventPublisher;
import dev.cdp.problem.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.UUID;

/** Accepts one validated message from an authenticated source and publishes it. */
@ApplicationScoped
public class IntakeService {

    private final MessageValidator validator;
    private final RawEventPublisher publisher;

    public IntakeService(MessageValidator validator, RawEventPublisher publisher) {
        this.validator = validator;
        this.publisher = publisher;
    }

    /** Validates a Segment track call and publishes it; the item is the message id. */
    public Uni<String> track(String source, JsonNode message) {
        ObjectNode track = validator.validTrack(message);
        Instant receivedAt = Instant.now();
        String messageId = track.hasNonNull("messageId") ? track.get("messageId").asText() : UUID.randomUUID().toString();
        Instant occurredAt = validator.timestamp(track).orElse(receivedAt);
        RawEvent event = new RawEvent(messageId, source, "track", text(track, "userId"), text(track, "anonymousId"),
                occurredAt, receivedAt, RawEvent.SCHEMA_VERSION, track);
        return publisher.publish(event)
                .onFailure().transform(failure -> {
                    Log.warnf(failure, "Publishing message %s from source %s failed", messageId, source);
                    return new ProblemException(Status.SERVICE_UNAVAILABLE, "publish-failed",
                            "The message could not be stored right now; send it again (same messageId) later.");
                })
                .replaceWith(messageId);
    }

    private static String text(ObjectNode message, String field) {
        JsonNode value = message.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
