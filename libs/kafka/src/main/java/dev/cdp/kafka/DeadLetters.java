package dev.cdp.kafka;

import dev.cdp.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record no consumer can process goes to {@link Topics#EVENTS_DLQ} unchanged (key, value, headers), with why and
 * where it came from in {@code dead-letter-*} headers, so it can be looked at and sent again once the cause is fixed.
 */
public final class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String GROUP = "dead-letter-group";

    private DeadLetters() {
    }

    /** The dead letter of {@code record}, which the consumer group {@code group} could not process. */
    public static <V> ProducerRecord<String, V> of(ConsumerRecord<String, V> record, String group, String reason) {
        return new ProducerRecord<>(Topics.EVENTS_DLQ, null, record.key(), record.value(), headers(record, group, reason));
    }

    /** The record's own headers and the dead-letter ones. */
    public static Headers headers(ConsumerRecord<?, ?> record, String group, String reason) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON, bytes(reason));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(String.valueOf(record.partition())));
        headers.add(OFFSET, bytes(String.valueOf(record.offset())));
        headers.add(GROUP, bytes(group));
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
