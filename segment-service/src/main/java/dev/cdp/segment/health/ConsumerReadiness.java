package dev.cdp.segment.health;

import dev.cdp.segment.messaging.ProfileChangeConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the profile change consumer re-evaluates; down, saying why, while it waits for PostgreSQL or Kafka. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final ProfileChangeConsumer consumer;

    public ConsumerReadiness(ProfileChangeConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        String unavailable = consumer.unavailable();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Profile change consumer").status(unavailable == null);
        if (unavailable != null) {
            response.withData("reason", unavailable);
        }
        return response.build();
    }
}
