package dev.cdp.ingestion.service;

import dev.cdp.ingestion.domain.MessageType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code cdp_ingestion_messages_total{source, type, outcome}} (accepted, rejected, failed) and
 * {@code cdp_ingestion_request_bytes{endpoint}}. Tags only take bounded values: configured sources and known types.
 */
@ApplicationScoped
public class IntakeMetrics {

    public enum Outcome { accepted, rejected, failed }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> sizes = new ConcurrentHashMap<>();

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts {@code count} messages; {@code type} is null for one whose type is unknown. */
    public void count(String source, MessageType type, Outcome outcome, long count) {
        String typeTag = type == null ? "unknown" : type.wireName();
        counters.computeIfAbsent(source + '|' + typeTag + '|' + outcome, key -> Counter.builder("cdp.ingestion.messages")
                .description("Intake messages by source, type and outcome")
                .tag("source", source).tag("type", typeTag).tag("outcome", outcome.name())
                .register(registry)).increment(count);
    }

    public void requestSize(String endpoint, long bytes) {
        sizes.computeIfAbsent(endpoint, key -> DistributionSummary.builder("cdp.ingestion.request.bytes")
                .description("Request body sizes by endpoint").baseUnit("bytes")
                .tag("endpoint", endpoint).publishPercentileHistogram()
                .register(registry)).record(bytes);
    }
}
