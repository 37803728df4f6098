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

    private static final int TYPES = MessageType.values().length + 1; // the last slot: unknown type
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    /** Per source, the counters by (type, outcome): a lookup on the hot path allocates nothing. */
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> sizes = new ConcurrentHashMap<>();

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts {@code count} messages; {@code type} is null for one whose type is unknown. */
    public void count(String source, MessageType type, Outcome outcome, long count) {
        int typeIndex = type == null ? TYPES - 1 : type.ordinal();
        counters.computeIfAbsent(source, this::countersOf)[typeIndex * OUTCOMES.length + outcome.ordinal()].increment(count);
    }

    private Counter[] countersOf(String source) {
        Counter[] bySlot = new Counter[TYPES * OUTCOMES.length];
        for (int typeIndex = 0; typeIndex < TYPES; typeIndex++) {
            String typeTag = typeIndex == TYPES - 1 ? "unknown" : MessageType.values()[typeIndex].wireName();
            for (Outcome outcome : OUTCOMES) {
                bySlot[typeIndex * OUTCOMES.length + outcome.ordinal()] = Counter.builder("cdp.ingestion.messages")
                        .description("Intake messages by source, type and outcome")
                        .tag("source", source).tag("type", typeTag).tag("outcome", outcome.name())
                        .register(registry);
            }
        }
        return bySlot;
    }

    public void requestSize(String endpoint, long bytes) {
        sizes.computeIfAbsent(endpoint, key -> DistributionSummary.builder("cdp.ingestion.request.bytes")
                .description("Request body sizes by endpoint").baseUnit("bytes")
                .tag("endpoint", endpoint).publishPercentileHistogram()
                .register(registry)).record(bytes);
    }
}
