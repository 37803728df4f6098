package dev.cdp.profile.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.RawEvent;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.Topics;
import dev.cdp.kafka.BatchHandler;
import dev.cdp.kafka.Unreadable;
import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.repository.BatchRepository.OutboxEvent;
import dev.cdp.profile.service.EventReader;
import dev.cdp.profile.service.EventReader.Read;
import dev.cdp.profile.service.EventStore;
import dev.cdp.profile.service.EventStore.Outcome;
import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one consuming loop of {@code cdp.events.raw} does with a batch (see {@link RawEventConsumer}): stores the
 * events in one transaction, sends them on to {@code cdp.events.stored}, and relays the change events the
 * transaction wrote to the outbox.
 */
final class RawEventHandler implements BatchHandler<Read> {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final int OUTBOX_ROWS = 20;
    private static final Duration RELAY_INTERVAL = Duration.ofSeconds(5);
    /** A message deferred this often is stored by a batch that waits for the customers another writer holds. */
    private static final int MAX_DEFERRALS = 3;

    private final EventStore store;
    private final ObjectMapper json;
    private final ProfileConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final boolean relaysOutbox;
    private final Counter deferred;
    private Instant nextRelayAt = Instant.MIN;

    /** @param relaysOutbox whether this loop also sends what a crash or an outage left in the outbox */
    RawEventHandler(EventStore store, ObjectMapper json, ProfileConfig config, KafkaProducer<String, byte[]> producer,
            boolean relaysOutbox, Counter deferred) {
        this.store = store;
        this.json = json;
        this.config = config;
        this.producer = producer;
        this.relaysOutbox = relaysOutbox;
        this.deferred = deferred;
    }

    @Override
    public Read read(ConsumerRecord<String, byte[]> record) throws Unreadable {
        if (record.value() == null) {
            throw new Unreadable("the record has no value");
        }
        RawEvent event;
        try {
            event = json.readValue(record.value(), RawEvent.class);
        } catch (IOException e) {
            throw new Unreadable("not a raw event: " + (e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage()));
        }
        if (event == null || event.messageId() == null || event.source() == null || event.type() == null
                || event.occurredAt() == null || event.receivedAt() == null || event.payload() == null) {
            throw new Unreadable("not a valid raw event: messageId, source, type, occurredAt, receivedAt and payload are required");
        }
        return EventReader.read(event, record.value(), config.defaultPhoneRegion());
    }

    /**
     * Stores the batch; messages another writer's customers held back are deferred. After three deferrals a message is
     * stored by a batch that waits for those customers.
     */
    @Override
    public Processed<Read> process(List<Item<Read>> items) {
        boolean wait = items.stream().anyMatch(item -> item.deferrals() >= MAX_DEFERRALS);
        Outcome stored = store.store(items.stream().map(Item::value).toList(), wait).await().atMost(SEND_TIMEOUT);
        Set<Read> deferredReads = Collections.newSetFromMap(new IdentityHashMap<>());
        deferredReads.addAll(stored.deferred());
        deferred.increment(deferredReads.size());
        List<Item<Read>> later = items.stream().filter(item -> deferredReads.contains(item.value())).toList();
        List<ProducerRecord<String, byte[]>> events = new ArrayList<>(stored.events().size());
        for (StoredEvent event : stored.events()) {
            events.add(new ProducerRecord<>(Topics.EVENTS_STORED, event.customerId().toString(), bytes(event)));
        }
        // The stored events go before the offsets: a batch whose events were not all sent is consumed again (see docs/conversions.md).
        return new Processed<>(later, events, () -> sendChanges(stored.changes()));
    }

    /** Change events left by a crash or an outage, looked for every few seconds. */
    @Override
    public void beforePoll() {
        if (!relaysOutbox || Instant.now().isBefore(nextRelayAt)) {
            return;
        }
        nextRelayAt = Instant.now().plus(RELAY_INTERVAL);
        try {
            sendChanges(store.pendingChanges(OUTBOX_ROWS).await().atMost(SEND_TIMEOUT));
        } catch (RuntimeException e) {
            Log.debugf("The outbox cannot be read now: %s", e.getMessage());
        }
    }

    private byte[] bytes(StoredEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event cannot be written as JSON", e);
        }
    }

    /** Sends change events and then removes them from the outbox; on failure they stay there for the next round. */
    private void sendChanges(List<OutboxEvent> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            List<Future<?>> acks = new ArrayList<>(changes.size());
            for (OutboxEvent change : changes) {
                acks.add(producer.send(new ProducerRecord<>(Topics.PROFILES_CHANGED, change.customerId().toString(),
                        change.json().getBytes(StandardCharsets.UTF_8))));
            }
            for (Future<?> ack : acks) {
                ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            store.changesSent(changes.stream().map(OutboxEvent::outboxId).distinct().toList()).await().atMost(SEND_TIMEOUT);
        } catch (Exception e) {
            Log.warnf("Change events stay in the outbox until they can be sent: %s", e.getMessage());
        }
    }
}
