package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cdp.events.Topics;
import dev.cdp.profile.domain.ConsumerLag;
import dev.cdp.profile.domain.ConsumerLag.PartitionLag;
import dev.cdp.profile.messaging.ConsumerLagProbe;
import dev.cdp.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * How far a consumer group is behind, measured on the real broker: per partition from the group's committed offsets
 * (or the log start), the age of the first record after them; and the service's own group in /q/metrics,
 * /profiles/stats and readiness.
 */
@QuarkusTest
class ConsumerLagTest {

    private final Messages messages = new Messages();

    @ConfigProperty(name = "cdp.profile.consumer.group.id")
    String groupId;

    @Test
    void measuresEveryPartitionFromTheCommittedOffsetOrTheLogStart() throws Exception {
        String topic = "lag-test-" + UUID.randomUUID();
        String group = "lag-test-" + UUID.randomUUID();
        TopicPartition committedPartition = new TopicPartition(topic, 0);
        TopicPartition uncommittedPartition = new TopicPartition(topic, 1);
        TopicPartition emptyPartition = new TopicPartition(topic, 2);
        long base = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        try (Admin admin = admin(); KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                send(producer, committedPartition, base + i * 60_000L); // offsets 0-4, a minute apart
            }
            for (int i = 0; i < 4; i++) {
                send(producer, uncommittedPartition, base + 600_000L + i * 60_000L); // offsets 0-3, from ten minutes later
            }
            // The group processed offsets 0 and 1 of partition 0 only; offset 0 of partition 1 is gone (retention).
            admin.alterConsumerGroupOffsets(group, Map.of(committedPartition, new OffsetAndMetadata(2))).all().get(30, TimeUnit.SECONDS);
            admin.deleteRecords(Map.of(uncommittedPartition, RecordsToDelete.beforeOffset(1))).all().get(30, TimeUnit.SECONDS);

            try (ConsumerLagProbe probe = new ConsumerLagProbe(TestKafka.bootstrapServers(), topic, group, Map.of(), Duration.ofSeconds(10))) {
                ConsumerLag lag = probe.measure();

                long now = lag.measuredAt().toEpochMilli();
                assertThat(lag.topic()).isEqualTo(topic);
                assertThat(lag.groupId()).isEqualTo(group);
                assertThat(lag.partitions()).containsExactly(
                        new PartitionLag(0, 2L, 5, 3, (now - (base + 2 * 60_000L)) / 1000.0),
                        new PartitionLag(1, null, 4, 3, (now - (base + 600_000L + 60_000L)) / 1000.0),
                        new PartitionLag(2, null, 0, 0, 0));
                assertThat(lag.totalRecords()).isEqualTo(6);
                assertThat(lag.oldestUnprocessedAgeSeconds()).as("offset 2 of partition 0, 58 minutes old")
                        .isEqualTo((now - (base + 2 * 60_000L)) / 1000.0).isBetween(58 * 60.0, 59 * 60.0);
                assertThat(lag.refreshFailure()).isNull();

                admin.alterConsumerGroupOffsets(group, Map.of(committedPartition, new OffsetAndMetadata(5),
                        uncommittedPartition, new OffsetAndMetadata(4))).all().get(30, TimeUnit.SECONDS);
                ConsumerLag caughtUp = probe.measure();

                assertThat(caughtUp.partitions()).containsExactly(new PartitionLag(0, 5L, 5, 0, 0), new PartitionLag(1, 4L, 4, 0, 0),
                        new PartitionLag(2, null, 0, 0, 0));
                assertThat(caughtUp.totalRecords()).isZero();
                assertThat(caughtUp.oldestUnprocessedAgeSeconds()).isZero();
            }
        }
    }

    @Test
    void givesUpWithinItsTimeoutWhenTheBrokerCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConsumerLagProbe probe = new ConsumerLagProbe("127.0.0.1:" + closedPort, Topics.EVENTS_RAW, "nobody", Map.of(),
                Duration.ofSeconds(2))) {
            long started = System.nanoTime();
            assertThatThrownBy(probe::measure).isInstanceOfAny(TimeoutException.class, ExecutionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void showsTheServicesOwnGroupCaughtUpOnEveryPartitionInStatsMetricsAndReadiness() {
        messages.send(messages.track("u-" + UUID.randomUUID(), null, "page_view", "2026-11-20T10:00:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 1);
        Instant stored = Instant.now();

        JsonPath lag = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().get("/profiles/stats").then().statusCode(200).extract().jsonPath().setRootPath("consumerLag"),
                stats -> stats.getString("measuredAt") != null && Instant.parse(stats.getString("measuredAt")).isAfter(stored)
                        && stats.getLong("totalRecords") == 0);
        assertThat(lag.getString("topic")).isEqualTo(Topics.EVENTS_RAW);
        assertThat(lag.getString("groupId")).isEqualTo(groupId);
        assertThat(lag.getList("partitions.partition", Integer.class)).as("every partition of the test topic").containsExactly(0, 1, 2);
        assertThat(lag.getList("partitions.records", Long.class)).containsOnly(0L);
        assertThat(lag.getDouble("oldestUnprocessedAgeSeconds")).isZero();
        assertThat(lag.getString("refreshFailure")).isNull();
        List<Long> endOffsets = lag.getList("partitions.endOffset", Long.class);
        assertThat(lag.getList("partitions.committedOffset", Long.class)).as("caught up where there was anything to read")
                .isEqualTo(endOffsets.stream().map(end -> end == 0 ? null : end).toList());
        assertThat(endOffsets.stream().mapToLong(Long::longValue).sum()).isPositive();

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (int partition = 0; partition < 3; partition++) {
            assertThat(gauge(metrics, "cdp_profile_consumer_lag{partition=\"" + partition + "\"}")).isZero();
        }
        assertThat(gauge(metrics, "cdp_profile_consumer_group_lag")).isZero();
        assertThat(gauge(metrics, "cdp_profile_consumer_oldest_unprocessed_age_seconds")).isZero();
        assertThat(gauge(metrics, "cdp_profile_consumer_lag_measured_timestamp_seconds"))
                .isGreaterThan(stored.toEpochMilli() / 1000.0).isLessThan(Instant.now().plusSeconds(1).toEpochMilli() / 1000.0);

        JsonPath readiness = RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .setRootPath("checks.find { it.name == 'Raw event consumer' }");
        assertThat(readiness.getString("status")).isEqualTo("UP");
        assertThat(readiness.getLong("data.lagRecords")).isZero();
        assertThat(readiness.getLong("data.oldestUnprocessedAgeSeconds")).isZero();
        assertThat(Instant.parse(readiness.getString("data.lagMeasuredAt"))).isAfter(stored);
    }

    /** The value of the one sample whose name and labels are {@code series}. */
    static double gauge(String metrics, String series) {
        List<String> samples = metrics.lines().filter(line -> line.startsWith(series + " ")).toList();
        assertThat(samples).as(series + " in /q/metrics").hasSize(1);
        return Double.parseDouble(samples.get(0).substring(series.length() + 1).trim());
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** One record with this Kafka timestamp, acknowledged before the next (so offsets follow the calls). */
    private static void send(KafkaProducer<String, String> producer, TopicPartition partition, long timestamp) throws Exception {
        producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), timestamp, "key", "value")).get(30, TimeUnit.SECONDS);
    }
}
