package dev.cdp.profile.health;

import dev.cdp.profile.messaging.RawEventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the raw event consumer runs and can store; down while it waits for PostgreSQL or Kafka. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final RawEventConsumer consumer;

    public ConsumerReadiness(RawEventConsumer consumer) {
        this.consumer = consumer;
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
        return response.build();
    }
}
