package dev.cdp.profile.messaging;

import dev.cdp.events.Topics;
import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.domain.ConsumerLag;
import dev.cdp.profile.domain.ConsumerLag.PartitionLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lag of this service's consumer group on {@code cdp.events.raw}, measured for the whole group (every partition,
 * whichever replica consumes it) every {@code cdp.profile.lag-interval} by a {@link ConsumerLagProbe}, on the
 * scheduler's thread: neither the consumer loops nor HTTP requests ever wait for it, they read the latest measurement.
 * While the broker cannot answer, the last values are kept and {@link #failure()} says why. In /q/metrics:
 * <ul>
 * <li>{@code cdp_profile_consumer_lag{partition}}: records after the group's committed offset;</li>
 * <li>{@code cdp_profile_consumer_group_lag}: the same, all partitions together;</li>
 * <li>{@code cdp_profile_consumer_oldest_unprocessed_age_seconds}: now minus the Kafka timestamp of the oldest
 * unprocessed record, 0 when caught up;</li>
 * <li>{@code cdp_profile_consumer_lag_measured_timestamp_seconds}: when they were measured (Unix time).</li>
 * </ul>
 * They appear with the first measurement.
 */
@ApplicationScoped
public class ConsumerLagMonitor {

    static final Duration MEASURE_TIMEOUT = Duration.ofSeconds(10);
    /** Connection settings of the consumer that the probe's clients need too. */
    private static final Set<String> CONNECTION_PREFIXES = Set.of("security.", "sasl.", "ssl.");

    private final MeterRegistry registry;
    private final String bootstrapServers;
    private final String groupId;
    private final Map<String, String> connectionSettings = new HashMap<>();
    private final Set<Integer> partitionGauges = ConcurrentHashMap.newKeySet();
    private volatile ConsumerLagProbe probe;
    private volatile boolean closed;
    private boolean gaugesRegistered;
    private volatile ConsumerLag latest;
    private volatile String failure;

    public ConsumerLagMonitor(MeterRegistry registry, ProfileConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.groupId = config.consumer().get("group.id");
        config.consumer().forEach((key, value) -> {
            if (CONNECTION_PREFIXES.stream().anyMatch(key::startsWith)) {
                connectionSettings.put(key, value);
            }
        });
    }

    @Scheduled(every = "${cdp.profile.lag-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        refresh();
    }

    /** Measures now (blocking, up to {@link #MEASURE_TIMEOUT}); answers the latest measurement, null if none yet. */
    public synchronized ConsumerLag refresh() {
        try {
            if (closed) {
                return current();
            }
            if (probe == null) {
                probe = new ConsumerLagProbe(bootstrapServers, Topics.EVENTS_RAW, groupId, connectionSettings, MEASURE_TIMEOUT);
            }
            ConsumerLag measured = probe.measure();
            if (failure != null) {
                Log.infof("Consumer lag measured again: %d records behind", measured.totalRecords());
            }
            latest = measured;
            failure = null;
            registerGauges(measured);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(e);
        } catch (Exception e) {
            failed(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
        return current();
    }

    private void failed(Throwable cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (failure == null) {
            Log.warnf("Consumer lag cannot be measured (%s); %s", reason,
                    latest == null ? "nothing measured yet" : "keeping the values measured at " + latest.measuredAt());
        }
        failure = reason;
    }

    /** The latest measurement (marked if it could not be refreshed since); null before the first. */
    public ConsumerLag current() {
        ConsumerLag lag = latest;
        String reason = failure;
        return lag == null || reason == null ? lag : lag.refreshFailed(reason);
    }

    /** Null while measurements succeed; otherwise why the latest failed. */
    public String failure() {
        return failure;
    }

    private void registerGauges(ConsumerLag measured) {
        if (!gaugesRegistered) {
            gaugesRegistered = true;
            Gauge.builder("cdp.profile.consumer.group.lag", this, monitor -> monitor.latest.totalRecords())
                    .description("Records of " + Topics.EVENTS_RAW + " the consumer group has not processed, all partitions")
                    .strongReference(true).register(registry);
            Gauge.builder("cdp.profile.consumer.oldest.unprocessed.age", this, monitor -> monitor.latest.oldestUnprocessedAgeSeconds())
                    .baseUnit("seconds").description("How old the oldest record the consumer group has not processed is (0 when caught up)")
                    .strongReference(true).register(registry);
            Gauge.builder("cdp.profile.consumer.lag.measured.timestamp", this, monitor -> monitor.latest.measuredAt().toEpochMilli() / 1000.0)
                    .baseUnit("seconds").description("When the consumer lag was last measured (Unix time)")
                    .strongReference(true).register(registry);
        }
        // Partitions are only ever added to a topic.
        for (PartitionLag partition : measured.partitions()) {
            int number = partition.partition();
            if (partitionGauges.add(number)) {
                Gauge.builder("cdp.profile.consumer.lag", this, monitor -> monitor.partitionRecords(number))
                        .tag("partition", String.valueOf(number))
                        .description("Records of " + Topics.EVENTS_RAW + " after the consumer group's committed offset")
                        .strongReference(true).register(registry);
            }
        }
    }

    private double partitionRecords(int number) {
        return latest.partitions().stream().filter(partition -> partition.partition() == number)
                .mapToDouble(PartitionLag::records).findFirst().orElse(Double.NaN);
    }

    /** Not synchronized: it stops a measurement under way instead of waiting for it. */
    @PreDestroy
    void close() {
        closed = true;
        ConsumerLagProbe open = probe;
        if (open != null) {
            open.close();
        }
    }
}
