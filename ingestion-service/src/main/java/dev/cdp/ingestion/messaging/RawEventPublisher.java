package dev.cdp.ingestion.messaging;

import dev.cdp.events.RawEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes accepted messages to {@code cdp.events.raw}, keyed by customer. */
@ApplicationScoped
@RegisterForReflection(targets = RawEvent.class) // Jackson writes the record from another jar in native images
public class RawEventPublisher {

    private final MutinyEmitter<Record<String, RawEvent>> emitter;

    /** The buffer is bounded by the requests in flight: each holds at most one batch (2,500 messages). */
    public RawEventPublisher(@Channel("events-raw") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            MutinyEmitter<Record<String, RawEvent>> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has acknowledged the record (acks=all), so an accepted message is never lost. */
    public Uni<Void> publish(String key, RawEvent event) {
        return emitter.send(Record.of(key, event));
    }
}
