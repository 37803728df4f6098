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
 * retries and for events other replicas queued.
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
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration ATTENTION_WAIT = Duration.ofMinutes(1);
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);

    private final ConversionQueue queue;
    private final ForwardingDestinations destinations;
    private final ConversionConnectors connectors;
    private final DestinationService destinationService;
    private final Delivery delivery;
    private final DeliveryConfig config;
    private final ConversionMetrics metrics;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
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
                for (UUID destinationId : queue.due().await().atMost(WAIT)) {
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

    /** Sends a destination's due events until none is left. */
    private void drain(UUID destinationId) {
        Forwarding forwarding = destinations.enabled().await().atMost(WAIT).stream()
                .filter(candidate -> candidate.destinationId().equals(destinationId)).findFirst().orElse(null);
        ConversionConnector connector = forwarding == null ? null : connectors.of(forwarding.kind());
        Target target = connector == null ? null : target(destinationId);
        while (running) {
            List<Claimed> batch = queue.claim(destinationId, connector == null ? 1000 : connector.maxEvents(), LEASE).await().atMost(WAIT);
            if (batch.isEmpty()) {
                return;
            }
            if (target == null) {
                queue.done(destinationId, batch, ConversionQueue.DROPPED, DISABLED, null).await().atMost(WAIT);
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
                queue.retryLater(current, ATTENTION_WAIT, "the destination needs attention").await().atMost(WAIT);
                return;
            }
            Map<String, List<Claimed>> byPlatformEvent = new LinkedHashMap<>();
            for (Claimed event : current) {
                byPlatformEvent.computeIfAbsent(connector.kind() == dev.cdp.export.destination.DestinationKind.GOOGLE ? event.platformEvent() : "",
                        key -> new ArrayList<>()).add(event);
            }
            for (List<Claimed> part : byPlatformEvent.values()) {
                if (!send(destinationId, forwarding, connector, target, part)) {
                    return;
                }
            }
        }
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
            queue.done(destinationId, batch, ConversionQueue.SENT, "", null).await().atMost(WAIT);
            metrics.count(destinationId, ConversionQueue.SENT, "", batch.size());
            batch.forEach(event -> metrics.delivered(event.acceptedAt(), now));
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
            int half = batch.size() / 2;
            return send(destinationId, forwarding, connector, target, batch.subList(0, half))
                    && send(destinationId, forwarding, connector, target, batch.subList(half, batch.size()));
        } catch (DeliveryException.AuthRefused | DeliveryException.Fatal refused) {
            destinationService.needsAttention(destinationId, refused.getMessage()).await().atMost(WAIT);
            queue.retryLater(batch, ATTENTION_WAIT, refused.getMessage()).await().atMost(WAIT);
            return false;
        } catch (DeliveryException unavailable) {
            List<Claimed> exhausted = batch.stream().filter(event -> event.attempts() >= config.conversionAttempts()).toList();
            List<Claimed> again = batch.stream().filter(event -> event.attempts() < config.conversionAttempts()).toList();
            finish(destinationId, exhausted, ConversionQueue.FAILED, RETRIES_EXHAUSTED, unavailable.getMessage());
            if (!again.isEmpty()) {
                queue.retryLater(again, retryDelay(again.get(0).attempts()), unavailable.getMessage()).await().atMost(WAIT);
            }
            return false;
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
