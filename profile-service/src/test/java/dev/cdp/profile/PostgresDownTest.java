package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With PostgreSQL taken away (the service's role may not log in, its connections are cut), the consumer stops,
 * readiness says why, and nothing is lost: once the database is back, every message is stored.
 */
@QuarkusTest
class PostgresDownTest {

    private final Messages messages = new Messages();

    @Test
    void waitsForTheDatabaseAndThenStoresEverything() throws Exception {
        String userId = "u-" + UUID.randomUUID();
        try {
            takeDatabaseAway();
            messages.send(messages.track(userId, null, "page_view", "2026-11-20T10:00:00Z"));
            messages.send(messages.transaction(userId, "FUEL", "600", "2026-11-20T10:05:00Z"));

            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'Raw event consumer' }.data.reason", containsString("PostgreSQL unavailable")));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> messages.stored() == 0);
        } finally {
            giveDatabaseBack();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> messages.stored() == 2);
        String customerId = await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/profiles/lookup?userId={id}", userId),
                response -> response.statusCode() == 200).path("customerId");
        given().get("/profiles/{id}", customerId).then().body("facts.transactionCount", equalTo(1))
                .body("facts.interactionCount", equalTo(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static void takeDatabaseAway() throws Exception {
        try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER ROLE cdp_profile NOLOGIN");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'cdp_profile'");
        }
    }

    private static void giveDatabaseBack() throws Exception {
        try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER ROLE cdp_profile LOGIN");
        }
    }
}
