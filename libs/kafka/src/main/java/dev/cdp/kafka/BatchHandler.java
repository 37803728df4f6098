package dev.cdp.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a {@link ConsumerLoop} does with its records: reads each one, then processes them together.
 *
 * @param <T> what a record means to the service
 */
public interface BatchHandler<T> {

    /** What the record means; {@link Unreadable} sends it to the dead letters with the reason. */
    T read(ConsumerRecord<String, byte[]> record) throws Unreadable;

    /**
     * Processes the items in one go. A failure is retried while {@link Failures#isUnavailable} says a dependency is
     * away, planned again on {@link Failures#contention}, and otherwise the items are processed one by one, the ones
     * that fail alone going to the dead letters.
     */
    Processed<T> process(List<Item<T>> items) throws Exception;

    /** What processing depends on, named while it is away ("PostgreSQL unavailable: ..."). */
    default String dependency() {
        return "PostgreSQL";
    }

    /** Runs on the loop's thread before each poll: for work between batches, like relaying an outbox. */
    default void beforePoll() {
    }

    /**
     * A record read, with how often it was deferred already.
     *
     * @param deferrals how many batches put it off (see {@link Processed#deferred})
     */
    record Item<T>(T value, ConsumerRecord<String, byte[]> source, int deferrals) {
    }

    /**
     * What processing left to do.
     *
     * @param deferred items to process in a later batch (offsets are never committed past them)
     * @param outgoing records to send before the offsets are committed (retried while Kafka is away)
     * @param afterSending runs once they are sent, before the offsets are committed
     */
    record Processed<T>(List<Item<T>> deferred, List<ProducerRecord<String, byte[]>> outgoing, Runnable afterSending) {

        public static <T> Processed<T> done() {
            return new Processed<>(List.of(), List.of(), () -> { });
        }

        Processed<T> and(Processed<T> other) {
            List<Item<T>> allDeferred = new ArrayList<>(deferred);
            allDeferred.addAll(other.deferred);
            List<ProducerRecord<String, byte[]>> allOutgoing = new ArrayList<>(outgoing);
            allOutgoing.addAll(other.outgoing);
            return new Processed<>(allDeferred, allOutgoing, () -> {
                afterSending.run();
                other.afterSending.run();
            });
        }
    }
}
