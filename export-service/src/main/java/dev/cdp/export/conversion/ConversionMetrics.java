package dev.cdp.export.conversion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversion forwarding in /q/metrics: {@code cdp_export_conversions_total{destination, outcome, reason}} (SENT,
 * FAILED, DROPPED), {@code cdp_export_conversion_delivery_seconds} (from accepted at the intake to accepted by the
 * platform, with p50 and p99) and {@code cdp_export_conversion_sending_seconds} (the part of it from queued in
 * export-service on), and per destination {@code cdp_export_conversions_queued} and
 * {@code cdp_export_conversions_lag_seconds} (how long the oldest waiting event has waited).
 */
@ApplicationScoped
public class ConversionMetrics {

    private final MeterRegistry registry;
    private final Timer delivery;
    private final Timer sending;
    private final Map<UUID, double[]> backlog = new ConcurrentHashMap<>();

    public ConversionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivery = Timer.builder("cdp.export.conversion.delivery").description("From accepted at the intake to accepted by the platform")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false).register(registry);
        this.sending = Timer.builder("cdp.export.conversion.sending").description("From queued in export-service to accepted by the platform")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false).register(registry);
    }

    void count(UUID destinationId, String outcome, String reason, long events) {
        Counter.builder("cdp.export.conversions").tag("destination", destinationId.toString()).tag("outcome", outcome)
                .tag("reason", reason).register(registry).increment(events);
    }

    void delivered(Instant acceptedAt, Instant queuedAt, Instant now) {
        delivery.record(Duration.between(acceptedAt, now));
        sending.record(Duration.between(queuedAt, now));
    }

    /** The queue as last measured; a destination's gauges appear with its first backlog. */
    void backlog(Map<UUID, double[]> current) {
        backlog.keySet().forEach(id -> backlog.put(id, current.getOrDefault(id, new double[] {0, 0})));
        current.forEach((id, values) -> {
            if (backlog.put(id, values) == null) {
                Gauge.builder("cdp.export.conversions.queued", backlog, all -> all.getOrDefault(id, new double[2])[0])
                        .tag("destination", id.toString()).register(registry);
                Gauge.builder("cdp.export.conversions.lag", backlog, all -> all.getOrDefault(id, new double[2])[1])
                        .baseUnit("seconds").tag("destination", id.toString()).register(registry);
            }
        });
    }
}
