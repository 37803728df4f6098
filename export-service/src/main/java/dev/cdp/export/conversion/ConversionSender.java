package dev.cdp.export.conversion;

import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.conversion.ConversionQueue.Claimed;
import dev.cdp.export.conversion.ForwardingDestinations.Forwarding;
import dev.cdp.export.delivery.ConversionConnector;
import dev.cdp.export.delivery.Delivery;
import dev.cdp.export.delivery.DeliveryException;
import dev.cdp.export.delivery.PlatformAnswer;
import dev.cdp.export.delivery.Target;
import dev.cdp.export.destination.Destination;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.destination.DestinationService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the conversion queue: each destination on its own worker (one slow or failing platform holds up no other),
 * in batches up to the platform's limit, oldest first, through {@link Delivery} (retries with backoff, rate limits
 * waited out, a circuit breaker, every call audited). Woken as soon as events are queued, and every second for
 * retries and for events other replicas queued. One replica at a time drains a destination, holding a lease on it
 * ({@code export.conversion_senders}), so events are sent once and in order without a write per event to claim them.
 *
 * <ul>
 *   <li>Accepted: removed and counted as SENT; the time from intake to platform is measured.</li>
 *   <li>A batch the platform refused as a whole (Meta refuses all for one bad event): split in halves until the bad
 *       events stand alone; those are dead-lettered with the platform's reason (FAILED, {@code rejected}).</li>
 *   <li>Unavailable or throttled beyond the wait allowed: tried again later with growing delays; after
 *       {@code cdp.delivery.conversion-attempts} tries dead-lettered (FAILED, {@code retries_exhausted}).</li>
 *   <li>Credentials refused or the pixel missing: the destination needs attention and its events wait for it.</li>
 *   <li>Older than the platform takes by the time they would go: dropped ({@code too_old_when_sent}); forwarding
 *       disabled meanwhile: dropped ({@code disabled}).</li>
 * </ul>
 */
@ApplicationScoped
public class ConversionSender {

    static final String REJECTED = "rejected";
    static final String RETRIES_EXHAUSTED = "retries_exhausted";
    static final String TOO_OLD_WHEN_SENT = "too_old_when_sent";
    static final String DISABLED = "disabled";
    /** How long a sender holds a destination without renewing: longer than a call with its retries takes. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration ATTENTION_WAIT = Duration.ofMinutes(1);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);
    /** Batches one turn of a destination sends before its worker goes to the next destination that waits. */
    private static final int BATCHES_PER_TURN = 20;

    private final ConversionQueue queue;
    private final ForwardingDestinations destinations;
    private final ConversionConnectors connectors;
    private final DestinationService destinationService;
    private final Delivery delivery;
    private final DeliveryConfig config;
    private final ConversionMetrics metrics;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    private final UUID sender = UUID.randomUUID();
    private ExecutorService workers;
    private Thread dispatcher;
    private volatile boolean running;

    public ConversionSender(ConversionQueue queue, ForwardingDestinations destinations, ConversionConnectors connectors,
            DestinationService destinationService, Delivery delivery, DeliveryConfig config, ConversionMetrics metrics) {
        this.queue = queue;
        this.destinations = destinations;
        this.connectors = connectors;
        this.destinationService = destinationService;
        this.delivery = delivery;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        workers = Executors.newFixedThreadPool(config.workers(), task -> new Thread(task, "conversion-sender"));
        dispatcher = new Thread(this::dispatch, "conversion-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Events were queued: send them now rather than at the next round. */
    public void wake() {
        wakeUps.release();
    }

    private void dispatch() {
        Instant nextBacklog = Instant.MIN;
        while (running) {
            try {
                wakeUps.tryAcquire(1, TimeUnit.SECONDS);
                wakeUps.drainPermits();
                if (!running) {
                    return;
                }
                if (Instant.now().isAfter(nextBacklog)) {
                    metrics.backlog(queue.backlog().await().atMost(WAIT));
                    nextBacklog = Instant.now().plus(BACKLOG_EVERY);
                }
                for (UUID destinationId : queue.destinationsDue().await().atMost(WAIT)) {
                    if (busy.add(destinationId)) {
                        workers.execute(() -> {
                            try {
                                drain(destinationId);
                            } catch (RuntimeException e) {
                                Log.warnf("Conversions to destination %s wait for the next round: %s", destinationId, e.getMessage());
                            } finally {
                                busy.remove(destinationId);
                            }
                        });
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.debugf("The conversion queue cannot be read now: %s", e.getMessage());
            }
        }
    }

    /**
     * Sends a destination's due events until none is left, or for {@link #BATCHES_PER_TURN} batches: then the worker
     * goes on to other destinations that wait, and this one is taken up again at once.
     */
    private void drain(UUID destinationId) {
        if (!queue.lease(destinationId, sender, LEASE).await().atMost(WAIT)) {
            return; // another replica sends this destination's events now
        }
        try {
            drainLeased(destinationId);
        } finally {
            queue.endLease(destinationId, sender).await().atMost(WAIT);
        }
    }

    private void drainLeased(UUID destinationId) {
        Forwarding forwarding = destinations.enabled().await().atMost(WAIT).stream()
                .filter(candidate -> candidate.destinationId().equals(destinationId)).findFirst().orElse(null);
        ConversionConnector connector = forwarding == null ? null : connectors.of(forwarding.kind());
        Target target = connector == null ? null : target(destinationId);
        for (int turn = 0; turn < BATCHES_PER_TURN && running; turn++) {
            if (turn > 0) {
                queue.lease(destinationId, sender, LEASE).await().atMost(WAIT);
            }
            List<Claimed> batch = queue.due(destinationId, connector == null ? 1000 : connector.spec().maxEvents()).await().atMost(WAIT);
            if (batch.isEmpty()) {
                return;
            }
            if (target == null) {
                finish(destinationId, batch, ConversionQueue.DROPPED, DISABLED, null);
                continue;
            }
            List<Claimed> current = new ArrayList<>();
            List<Claimed> tooOld = new ArrayList<>();
            Instant now = Instant.now();
            for (Claimed event : batch) {
                (event.expiresAt().isAfter(now) ? current : tooOld).add(event);
            }
            finish(destinationId, tooOld, ConversionQueue.DROPPED, TOO_OLD_WHEN_SENT, null);
            if (forwarding.needsAttention()) {
                queue.retryLater(current, ATTENTION_WAIT, "the destination needs attention", false).await().atMost(WAIT);
                return;
            }
            // Google takes one conversion action a call; Meta and TikTok take any mix of events.
            Map<String, List<Claimed>> calls = new LinkedHashMap<>();
            for (Claimed event : current) {
                calls.computeIfAbsent(connector.spec().kind() == DestinationKind.GOOGLE ? event.platformEvent() : "", key -> new ArrayList<>()).add(event);
            }
            List<List<Claimed>> parts = new ArrayList<>(calls.values());
            for (int i = 0; i < parts.size(); i++) {
                if (!send(destinationId, forwarding, connector, target, parts.get(i))) {
                    release(parts.subList(i + 1, parts.size()).stream().flatMap(List::stream).toList());
                    return;
                }
            }
        }
        wake(); // more may wait: this destination's next turn comes after the others'
    }

    /**
     * Sends one batch; false when the destination cannot take more now (its events wait). A batch refused as a whole
     * is split to find the events the platform refuses.
     */
    private boolean send(UUID destinationId, Forwarding forwarding, ConversionConnector connector, Target target, List<Claimed> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            PlatformAnswer answer = delivery.call(target, "conversions", batch.size(), () -> connector.send(target, batch.get(0).platformEvent(),
                    batch.stream().map(Claimed::body).toList(), forwarding.testEventCode()));
            Instant now = Instant.now();
            finish(destinationId, batch, ConversionQueue.SENT, "", null);
            batch.forEach(event -> metrics.delivered(event.acceptedAt(), event.queuedAt(), now));
            long accepted = connector.accepted(answer, batch.size());
            if (accepted < batch.size()) {
                Log.warnf("Destination %s accepted %d of %d conversions", destinationId, accepted, batch.size());
            }
            return true;
        } catch (DeliveryException.Rejected rejected) {
            if (batch.size() == 1) {
                finish(destinationId, batch, ConversionQueue.FAILED, REJECTED, rejected.getMessage());
                return true;
            }
            List<Claimed> first = batch.subList(0, batch.size() / 2);
            List<Claimed> second = batch.subList(batch.size() / 2, batch.size());
            if (!send(destinationId, forwarding, connector, target, first)) {
                release(second);
                return false;
            }
            return send(destinationId, forwarding, connector, target, second);
        } catch (DeliveryException.AuthRefused | DeliveryException.Fatal refused) {
            destinationService.needsAttention(destinationId, refused.getMessage()).await().atMost(WAIT);
            queue.retryLater(batch, ATTENTION_WAIT, refused.getMessage(), false).await().atMost(WAIT);
            return false;
        } catch (DeliveryException unavailable) {
            // This try counts: an event that has had its last is dead-lettered.
            List<Claimed> exhausted = batch.stream().filter(event -> event.attempts() + 1 >= config.conversionAttempts()).toList();
            List<Claimed> again = batch.stream().filter(event -> event.attempts() + 1 < config.conversionAttempts()).toList();
            finish(destinationId, exhausted, ConversionQueue.FAILED, RETRIES_EXHAUSTED, unavailable.getMessage());
            if (!again.isEmpty()) {
                queue.retryLater(again, retryDelay(again.get(0).attempts() + 1), unavailable.getMessage(), true).await().atMost(WAIT);
            }
            return false;
        }
    }

    /** Claimed events not tried because the call before them failed: due again soon, not after their lease. */
    private void release(List<Claimed> events) {
        if (!events.isEmpty()) {
            queue.retryLater(events, RELEASE_WAIT, "waiting behind a call that failed", false).await().atMost(WAIT);
        }
    }

    private void finish(UUID destinationId, List<Claimed> events, String outcome, String reason, String detail) {
        if (!events.isEmpty()) {
            queue.done(destinationId, events, outcome, reason, detail).await().atMost(WAIT);
            metrics.count(destinationId, outcome, reason, events.size());
        }
    }

    /** 2, 4, 8 ... seconds after each failed try, at most ten minutes. */
    static Duration retryDelay(int attempts) {
        Duration delay = Duration.ofSeconds(1L << Math.min(attempts, 20));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    private Target target(UUID destinationId) {
        try {
            Destination destination = VertxContextSupport.subscribeAndAwait(
                    () -> Panache.withSession(() -> Destination.<Destination>findById(destinationId)));
            return destination == null ? null : destinationService.target(destination);
        } catch (Throwable e) {
            throw new IllegalStateException("destination " + destinationId + " cannot be read: " + e.getMessage(), e);
        }
    }
}
