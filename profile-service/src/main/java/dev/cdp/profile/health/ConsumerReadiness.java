package dev.cdp.profile.health;

import dev.cdp.profile.domain.ConsumerLag;
import dev.cdp.profile.messaging.ConsumerLagMonitor;
import dev.cdp.profile.messaging.RawEventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the raw event consumer runs and can store; down while it waits for PostgreSQL or Kafka. A lagging
 * consumer is still ready (taking it out of service would only add to the lag), and says how far behind it is: the
 * records of the whole group not processed yet, how old the oldest is, and when that was measured.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final RawEventConsumer consumer;
    private final ConsumerLagMonitor lag;

    public ConsumerReadiness(RawEventConsumer consumer, ConsumerLagMonitor lag) {
        this.consumer = consumer;
        this.lag = lag;
    }

    @Override
    public HealthCheckResponse call() {
        String unavailable = consumer.unavailable();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Raw event consumer").status(unavailable == null);
        if (unavailable != null) {
            response.withData("reason", unavailable);
        }
        if (consumer.lastBatchAt() != null) {
            response.withData("lastBatchAt", consumer.lastBatchAt().toString());
        }
        ConsumerLag current = lag.current();
        if (current != null) {
            response.withData("lagRecords", current.totalRecords());
            response.withData("oldestUnprocessedAgeSeconds", Math.round(current.oldestUnprocessedAgeSeconds()));
            response.withData("lagMeasuredAt", current.measuredAt().toString());
        }
        if (lag.failure() != null) {
            response.withData("lagRefreshFailure", lag.failure());
        }
        return response.build();
    }
}
