package dev.cdp.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdp.events.Topics;
import dev.cdp.profile.domain.ConsumerLag;
import dev.cdp.profile.domain.ConsumerLag.PartitionLag;
import dev.cdp.profile.messaging.ConsumerLagProbe;
import dev.cdp.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.Test;

/**
 * How far a consumer group is behind, measured on the real broker: per partition from the group's committed offsets
 * (or the log start), the age of the first record after them.
 */
@QuarkusTest
class ConsumerLagTest {

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
