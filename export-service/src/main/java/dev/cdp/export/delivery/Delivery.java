package dev.cdp.export.delivery;

import dev.cdp.export.config.DeliveryConfig;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Every call to a platform goes through here. Per destination, a SmallRye Fault Tolerance guard retries server
 * errors and timeouts with exponential backoff and jitter (bounded), bounds each call's time, opens a circuit breaker
 * when the destination keeps failing and keeps one destination to a few calls at a time (a bulkhead), so one
 * platform's outage never holds another's calls. Around it, a platform's rate-limit answer is waited out as long as
 * it asks, within {@link DeliveryConfig#maxThrottleWait()} per call. Every attempt is written to the audit.
 */
@ApplicationScoped
public class Delivery {

    private static final Duration BREAKER_DELAY = Duration.ofSeconds(30);
    private static final int CONCURRENT_CALLS = 2;

    private final DeliveryConfig config;
    private final Pool pool;
    private final Map<UUID, Guard> guards = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);

    public Delivery(DeliveryConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    /** One call, named {@code operation} in the audit, of {@code rows} rows. */
    @SuppressWarnings("unchecked") // synchronous calls: the type only tells the guard it is not async
    public <T> T call(Target target, String operation, int rows, Supplier<T> call) {
        long waitedNanos = 0;
        while (true) {
            try {
                return guard(target.destinationId()).call(audited(target, operation, rows, call), (Class<T>) Object.class);
            } catch (DeliveryException.Throttled throttled) {
                Duration wait = throttled.retryAfter();
                if (waitedNanos + wait.toNanos() > config.maxThrottleWait().toNanos()) {
                    throw throttled; // the rest waits for the next run
                }
                waitedNanos += wait.toNanos();
                waitOut(wait);
            } catch (DeliveryException e) {
                throw e;
            } catch (CircuitBreakerOpenException e) {
                throw new DeliveryException.Transient("the destination failed repeatedly; its calls pause for " + BREAKER_DELAY.toSeconds()
                        + " s (circuit breaker open)", null);
            } catch (TimeoutException e) {
                throw new DeliveryException.Transient("no answer within " + config.callTimeout().toSeconds() + " s", null);
            } catch (BulkheadException e) {
                throw new DeliveryException.Transient("too many calls to the destination at once", null);
            } catch (Exception e) {
                throw new DeliveryException.Transient(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            }
        }
    }

    /** Forgets a destination's guard (its settings or credentials changed, or it was deleted). */
    public void reset(UUID destinationId) {
        guards.remove(destinationId);
    }

    private Guard guard(UUID destinationId) {
        return guards.computeIfAbsent(destinationId, id -> Guard.create()
                .withDescription("destination " + id)
                .withRetry()
                    .maxRetries(config.attempts() - 1)
                    .delay(config.backoff().toMillis(), ChronoUnit.MILLIS)
                    .jitter(config.backoff().toMillis() / 2, ChronoUnit.MILLIS)
                    .maxDuration(config.callTimeout().multipliedBy(config.attempts()).plus(config.maxBackoff().multipliedBy(config.attempts()))
                            .toMillis(), ChronoUnit.MILLIS)
                    .retryOn(java.util.List.of(DeliveryException.Transient.class, TimeoutException.class, BulkheadException.class))
                    .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .failOn(java.util.List.of(DeliveryException.Transient.class, TimeoutException.class))
                    .requestVolumeThreshold(20)
                    .failureRatio(0.75)
                    .delay(BREAKER_DELAY.toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withTimeout().duration(config.callTimeout().plusSeconds(5).toMillis(), ChronoUnit.MILLIS).done()
                .withBulkhead().limit(CONCURRENT_CALLS).done()
                .build());
    }

    private <T> Callable<T> audited(Target target, String operation, int rows, Supplier<T> call) {
        return () -> {
            long started = System.nanoTime();
            try {
                T result = call.get();
                PlatformAnswer answer = result instanceof AudienceConnector.BatchResult batch ? batch.answer()
                        : result instanceof PlatformAnswer platform ? platform : null;
                audit(target, operation, rows, "OK", answer, started, null);
                return result;
            } catch (DeliveryException e) {
                audit(target, operation, rows, e.outcome(), e.answer(), started, e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                // A connection refused or reset, a body that did not parse: worth another try.
                String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                audit(target, operation, rows, "RETRY", null, started, why);
                throw new DeliveryException.Transient(why, null);
            }
        };
    }

    private void audit(Target target, String operation, int rows, String outcome, PlatformAnswer answer, long started, String detail) {
        int millis = (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
        try {
            pool.preparedQuery("""
                    INSERT INTO export.delivery_audit (destination_id, sync_id, run_id, operation, rows, outcome, http_status, platform_code,
                                                       request_id, duration_ms, detail)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                    .execute(Tuple.from(new Object[] {target.destinationId(), target.syncId(), target.runId(), operation, rows, outcome,
                            answer == null ? null : answer.httpStatus(), answer == null ? null : answer.platformCode(),
                            answer == null ? null : answer.requestId(), millis, detail == null ? null : truncate(detail)}))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Log.warnf("A delivery to destination %s could not be audited: %s", target.destinationId(), e.getMessage());
        }
    }

    private static String truncate(String detail) {
        return detail.length() <= 1000 ? detail : detail.substring(0, 1000);
    }

    /** Waits as the platform asked, or less when this instance stops: its runs are then handed on, not held. */
    private void waitOut(Duration wait) {
        try {
            if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DeliveryException.Transient("export-service stopped while waiting out a rate limit", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException.Transient("interrupted while waiting out a rate limit", null);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }
}
