package dev.cdp.ingestion.messaging;

import dev.cdp.events.RawEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes accepted messages to {@code cdp.events.raw}, keyed by customer. */
@ApplicationScoped
@RegisterForReflection(targets = RawEvent.class) // Jackson reads the record from another jar in native images
public class RawEventPublisher {

    private final MutinyEmitter<Record<String, RawEvent>> emitter;

    public RawEventPublisher(@Channel("events-raw") MutinyEmitter<Record<String, RawEvent>> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has acknowledged the record (acks=all), so an accepted message is never lost. */
    public Uni<Void> publish(RawEvent event) {
        return emitter.send(Record.of(event.key(), event));
    }
}
