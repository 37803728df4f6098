package dev.cdp.export.conversion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.StoredEvent;
import dev.cdp.export.conversion.ConversionQueue.Count;
import dev.cdp.export.conversion.ConversionQueue.Queued;
import dev.cdp.export.conversion.ForwardingDestinations.Forwarding;
import dev.cdp.export.delivery.Conversion;
import dev.cdp.export.delivery.ConversionConnector;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.file.AudienceRows;
import dev.cdp.export.hash.Hasher;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.messaging.DeadLetterChannel;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns the stored events of {@code cdp.events.stored} (keyed by customer, so one customer's events come in order)
 * into queued platform events for every destination that forwards conversions: each rule the event meets gives one,
 * if the customer had advertising consent when it happened and the platform still takes an event that old; the
 * others are counted as dropped, by reason. The identifiers are normalized and hashed as exports hash them. A batch
 * is queued in one transaction before its offsets are committed, tried again while the database is away, so nothing
 * is lost; the senders ({@link ConversionSender}) take it from there, apart from the intake. A record that is not a
 * stored event goes to the dead letters with the reason ({@link DeadLetterChannel}).
 */
@ApplicationScoped
@RegisterForReflection(targets = {StoredEvent.class, StoredEvent.Context.class, StoredEvent.Person.class}) // read by Jackson in native images
public class ConversionForwarder {

    static final String NO_CONSENT = "no_consent";
    static final String TOO_OLD = "too_old";
    static final String NO_IDENTIFIERS = "no_identifiers";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ForwardingDestinations destinations;
    private final ConversionConnectors connectors;
    private final ConversionQueue queue;
    private final ConversionSender sender;
    private final ConversionMetrics metrics;
    private final ObjectMapper json;
    private final DeadLetterChannel deadLetters;

    public ConversionForwarder(ForwardingDestinations destinations, ConversionConnectors connectors, ConversionQueue queue,
            ConversionSender sender, ConversionMetrics metrics, ObjectMapper json, DeadLetterChannel deadLetters) {
        this.destinations = destinations;
        this.connectors = connectors;
        this.queue = queue;
        this.sender = sender;
        this.metrics = metrics;
        this.json = json;
        this.deadLetters = deadLetters;
    }

    @Incoming("stored-events")
    public Uni<Void> forward(ConsumerRecords<String, byte[]> records) {
        Map<ConsumerRecord<String, byte[]>, String> dead = new LinkedHashMap<>();
        List<StoredEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            StoredEvent event = read(record, dead);
            if (event != null) {
                events.add(event);
            }
        }
        return deadLetters.send(dead).chain(() -> queue(events));
    }

    private Uni<Void> queue(List<StoredEvent> events) {
        return Uni.createFrom().deferred(() -> destinations.enabled().chain(enabled -> {
                    if (enabled.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Batch batch = new Batch();
                    for (StoredEvent event : events) {
                        for (Forwarding destination : enabled) {
                            batch.add(event, destination);
                        }
                    }
                    List<Count> counts = batch.counts();
                    return queue.add(batch.queued, counts).invoke(() -> {
                        counts.forEach(count -> metrics.count(count.destinationId(), count.outcome(), count.reason(), count.count()));
                        if (!batch.queued.isEmpty()) {
                            sender.wake();
                        }
                    });
                }))
                .onFailure().invoke(e -> Log.warnf("Could not queue stored events for conversion forwarding (tried again): %s", e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely();
    }

    private record Drop(UUID destinationId, String reason) {
    }

    /** One batch's queued events and drops; the rows and hashers are reused within it (they are not thread-safe). */
    private final class Batch {
        final List<Queued> queued = new ArrayList<>();
        final Map<Drop, Long> drops = new LinkedHashMap<>();
        final Map<DestinationKind, AudienceRows> rows = new EnumMap<>(DestinationKind.class);
        final Hasher hasher = new Hasher();
        final Instant now = Instant.now();

        void add(StoredEvent event, Forwarding destination) {
            if (event.receivedAt() == null || event.receivedAt().isBefore(destination.enabledAt())) {
                return; // accepted before forwarding was enabled
            }
            ConversionConnector connector = connectors.of(destination.kind());
            if (connector == null) {
                return;
            }
            String[] row = null;
            boolean rowDone = false;
            for (ConversionRule rule : destination.rules()) {
                if (!rule.matches(event)) {
                    continue;
                }
                if (!event.advertisingConsent()) {
                    drop(destination, NO_CONSENT);
                    continue;
                }
                String platformEvent = rule.sendAs() != null ? rule.sendAs() : destination.settings().get(connector.spec().eventSetting());
                Conversion conversion = new Conversion(event, platformEvent, rule.parametersOf(event), null);
                Instant expiresAt = event.occurredAt().plus(connector.window(conversion));
                if (!expiresAt.isAfter(now)) {
                    drop(destination, TOO_OLD);
                    continue;
                }
                if (!rowDone) {
                    row = rows.computeIfAbsent(destination.kind(), kind -> AudienceRows.of(kind.rows())).row(member(event));
                    rowDone = true;
                }
                String body = connector.event(new Conversion(event, platformEvent, conversion.parameters(), row), hasher);
                if (body == null) {
                    drop(destination, NO_IDENTIFIERS);
                    continue;
                }
                queued.add(new Queued(destination.destinationId(), event.messageId(), platformEvent, event.customerId(), event.occurredAt(),
                        event.receivedAt(), expiresAt, body));
            }
        }

        void drop(Forwarding destination, String reason) {
            drops.merge(new Drop(destination.destinationId(), reason), 1L, Long::sum);
        }

        List<Count> counts() {
            List<Count> counts = new ArrayList<>();
            drops.forEach((drop, count) -> counts.add(new Count(drop.destinationId(), ConversionQueue.DROPPED, drop.reason(), count)));
            return counts;
        }
    }

    /** The profile as an audience member, so the platform's own audience rows normalize and hash it. */
    private static AudienceMember member(StoredEvent event) {
        StoredEvent.Person person = event.person();
        if (person == null) {
            return new AudienceMember(event.customerId(), null, null, null, null, null, null, null, null, null, null, true, false, false, List.of());
        }
        return new AudienceMember(event.customerId(), person.email(), person.phone(), person.firstName(), person.lastName(), person.birthDate(),
                person.gender(), person.city(), person.state(), person.postalCode(), person.countryCode(), event.advertisingConsent(), false, false,
                person.userIds());
    }

    /** The event, or null for a record that does not parse (skipped; its content is not logged). */
    private StoredEvent read(ConsumerRecord<String, byte[]> record, Map<ConsumerRecord<String, byte[]>, String> dead) {
        try {
            StoredEvent event = record.value() == null ? null : json.readValue(record.value(), StoredEvent.class);
            if (event == null || event.messageId() == null || event.customerId() == null || event.event() == null || event.occurredAt() == null) {
                dead.put(record, "not a stored event: messageId, customerId, event and occurredAt are required");
                return null;
            }
            return event;
        } catch (IOException e) {
            dead.put(record, "not a stored event: " + e.getMessage());
            return null;
        }
    }
}
