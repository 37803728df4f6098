package dev.cdp.profile.messaging;

import dev.cdp.events.RawEvent;
import dev.cdp.profile.service.EventStore;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cdp.events.raw}. The offset is committed only after the transaction commits; a message that still
 * fails after a few retries goes to {@code cdp.events.dlq} with the reason.
 */
@ApplicationScoped
@RegisterForReflection(targets = RawEvent.class) // Jackson reads the record from another jar in native images
public class RawEventConsumer {

    private final EventStore store;

    public RawEventConsumer(EventStore store) {
        this.store = store;
    }

    @Incoming("events-raw")
    public Uni<Void> consume(RawEvent event) {
        if (event == null || event.messageId() == null || event.source() == null || event.type() == null
                || event.occurredAt() == null || event.receivedAt() == null || event.payload() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "not a valid raw event: messageId, source, type, occurredAt, receivedAt and payload are required"));
        }
        return store.store(event)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3);
    }
}
