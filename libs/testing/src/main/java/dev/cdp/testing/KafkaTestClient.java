package dev.cdp.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads and writes the test broker's topics as plain strings, the way another service would. */
public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code count} records match, or fails after {@code timeout}.
     * Records of other tests are skipped by the predicate.
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, Predicate<ConsumerRecord<String, String>> match,
            int count, Duration timeout) {
        List<ConsumerRecord<String, String>> matched = read(topic, match, count, timeout);
        if (matched.size() < count) {
            throw new AssertionError("expected " + count + " matching record(s) on " + topic + " within " + timeout
                    + ", found " + matched.size());
        }
        return matched;
    }

    /** Reads {@code topic} from the beginning for all of {@code window} and returns every matching record. */
    public static List<ConsumerRecord<String, String>> recordsWithin(String topic, Predicate<ConsumerRecord<String, String>> match,
            Duration window) {
        return read(topic, match, Integer.MAX_VALUE, window);
    }

    /**
     * The dead letter a consumer made of the record {@code value} it read from {@code topic}, within 30 s: its reason
     * and the consumer group that gave up on it, as {@code group: reason}.
     */
    public static String awaitDeadLetter(String topic, String value) {
        ConsumerRecord<String, String> dead = awaitRecords("cdp.events.dlq", record -> value.equals(record.value())
                && topic.equals(header(record, "dead-letter-topic")), 1, Duration.ofSeconds(30)).get(0);
        return header(dead, "dead-letter-group") + ": " + header(dead, "dead-letter-reason");
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, String>> read(String topic, Predicate<ConsumerRecord<String, String>> match,
            int enough, Duration timeout) {
        List<ConsumerRecord<String, String>> matched = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (matched.size() < enough && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (match.test(record)) {
                        matched.add(record);
                    }
                });
            }
        }
        return matched;
    }
}
