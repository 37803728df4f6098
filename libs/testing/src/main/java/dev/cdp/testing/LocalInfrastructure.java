package dev.cdp.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at a real Kafka broker, a provisioned PostgreSQL database and a real OpenID Connect issuer (see
 * {@link TestKafka}, {@link TestDatabase} and {@link TestKeycloak}). Register it once per service for all its tests:
 *
 * <pre>
 * &#64;WithTestResource(value = LocalInfrastructure.class, scope = TestResourceScope.GLOBAL)
 * </pre>
 */
public class LocalInfrastructure implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestKeycloak.begin(); // comes up while the broker starts
        return Map.of(
                "kafka.bootstrap.servers", TestKafka.bootstrapServers(),
                "cdp.db.url", TestDatabase.url(),
                "quarkus.oidc.auth-server-url", TestKeycloak.issuer());
    }

    @Override
    public void stop() {
        // The broker serves every Quarkus start in this JVM and stops with it.
    }
}
