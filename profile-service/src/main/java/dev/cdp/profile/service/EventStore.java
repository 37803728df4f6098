package dev.cdp.profile.service;

import dev.cdp.events.RawEvent;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.repository.CustomerRepository;
import dev.cdp.profile.repository.InteractionRepository;
import dev.cdp.profile.repository.RawEventRepository;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Stores one consumed message in one transaction: bronze first, then the customer it belongs to and what it says. A
 * message seen before changes nothing, so redelivery after a crash is harmless.
 */
@ApplicationScoped
public class EventStore {

    private final Pool pool;
    private final RawEventRepository rawEvents;
    private final CustomerRepository customers;
    private final InteractionRepository interactions;

    public EventStore(Pool pool, RawEventRepository rawEvents, CustomerRepository customers, InteractionRepository interactions) {
        this.pool = pool;
        this.rawEvents = rawEvents;
        this.customers = customers;
        this.interactions = interactions;
    }

    public Uni<Void> store(RawEvent event) {
        return pool.withTransaction(connection -> rawEvents.insertIfNew(connection, event).chain(rawEventId -> {
            if (rawEventId == null) {
                Log.debugf("Message %s from %s was stored before; skipped", event.messageId(), event.source());
                return Uni.createFrom().voidItem();
            }
            return apply(connection, rawEventId, event);
        }));
    }

    private Uni<Void> apply(SqlConnection connection, long rawEventId, RawEvent event) {
        if (!"track".equals(event.type()) || (event.userId() == null && event.anonymousId() == null)) {
            return Uni.createFrom().voidItem(); // kept in bronze; other call types are not modelled yet
        }
        return resolveCustomer(connection, event)
                .call(customerId -> interactions.insert(connection, customerId, rawEventId, event))
                .call(customerId -> customers.touch(connection, customerId))
                .replaceWithVoid();
    }

    /** The customer a message is about: by userId when it has one, linking its anonymousId to them. */
    private Uni<UUID> resolveCustomer(SqlConnection connection, RawEvent event) {
        if (event.userId() == null) {
            return customers.findOrCreate(connection, new Identity(IdentityType.anonymousId, event.anonymousId()));
        }
        Uni<UUID> customer = customers.findOrCreate(connection, new Identity(IdentityType.userId, event.userId()));
        if (event.anonymousId() == null) {
            return customer;
        }
        return customer.call(customerId ->
                customers.link(connection, customerId, new Identity(IdentityType.anonymousId, event.anonymousId())));
    }
}
