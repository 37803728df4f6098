package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdp.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A service whose group has processed nothing yet (no consumer loop runs, and its group is new): every record of
 * cdp.events.raw waits, from the log start. It stays ready, and readiness, /profiles/stats and /q/metrics say how far
 * behind it is.
 */
@QuarkusTest
@TestProfile(ConsumerLagWhileBehindTest.NothingConsumed.class)
class ConsumerLagWhileBehindTest {

    public static class NothingConsumed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cdp.profile.writers", "0", "cdp.profile.consumer.group.id", "profile-service-behind-" + UUID.randomUUID());
        }
    }

    private final Messages messages = new Messages();

    @Test
    void staysReadyAndShowsTheRecordsWaitingOnEveryPartition() throws Exception {
        for (int i = 0; i < 3; i++) {
            messages.send(messages.track("u-" + UUID.randomUUID(), null, "page_view", "2026-11-20T10:00:00Z"));
        }
        Instant sent = Instant.now();
        Map<Integer, Long> waiting = recordsFromLogStart();
        long total = waiting.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isGreaterThanOrEqualTo(3);

        // Measured at least 2 s after the sends: the oldest waiting record is at least that old.
        JsonPath lag = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().get("/profiles/stats").then().statusCode(200).extract().jsonPath().setRootPath("consumerLag"),
                stats -> stats.getString("measuredAt") != null
                        && Instant.parse(stats.getString("measuredAt")).isAfter(sent.plusSeconds(2)));
        Instant measuredAt = Instant.parse(lag.getString("measuredAt"));
        assertThat(lag.getLong("totalRecords")).isEqualTo(total);
        for (int partition = 0; partition < 3; partition++) {
            String path = "partitions.find { it.partition == " + partition + " }";
            assertThat(lag.getLong(path + ".records")).as("partition " + partition).isEqualTo(waiting.get(partition));
            assertThat(lag.getString(path + ".committedOffset")).as("never committed").isNull();
        }
        double oldest = lag.getDouble("oldestUnprocessedAgeSeconds");
        assertThat(oldest).isGreaterThanOrEqualTo(Duration.between(sent, measuredAt).toMillis() / 1000.0);

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (int partition = 0; partition < 3; partition++) {
            assertThat(ConsumerLagTest.gauge(metrics, "cdp_profile_consumer_lag{partition=\"" + partition + "\"}"))
                    .isEqualTo(waiting.get(partition).doubleValue());
        }
        assertThat(ConsumerLagTest.gauge(metrics, "cdp_profile_consumer_group_lag")).isEqualTo(total);
        assertThat(ConsumerLagTest.gauge(metrics, "cdp_profile_consumer_oldest_unprocessed_age_seconds")).isGreaterThanOrEqualTo(oldest);

        JsonPath readiness = RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .setRootPath("checks.find { it.name == 'Raw event consumer' }");
        assertThat(readiness.getString("status")).isEqualTo("UP");
        assertThat(readiness.getLong("data.lagRecords")).isEqualTo(total);
        assertThat(readiness.getLong("data.oldestUnprocessedAgeSeconds")).isGreaterThanOrEqualTo(2);
        assertThat(readiness.getString("data.lagMeasuredAt")).isNotNull();
    }

    /** Per partition of cdp.events.raw, the records between the log start and the end. */
    private static Map<Integer, Long> recordsFromLogStart() throws Exception {
        try (Admin admin = ConsumerLagTest.admin()) {
            List<TopicPartition> partitions = List.of(0, 1, 2).stream().map(p -> new TopicPartition(Topics.EVENTS_RAW, p)).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> {
                earliest.put(partition, OffsetSpec.earliest());
                latest.put(partition, OffsetSpec.latest());
            });
            var start = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> records = new HashMap<>();
            partitions.forEach(partition -> records.put(partition.partition(), end.get(partition).offset() - start.get(partition).offset()));
            return records;
        }
    }
}
