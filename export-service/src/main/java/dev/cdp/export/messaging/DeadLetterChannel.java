package dev.cdp.export.messaging;

import dev.cdp.kafka.DeadLetters;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends the records export-service's consumers can never process to the dead-letter topic, unchanged, with the reason
 * ({@link DeadLetters}); a batch completes, and its offsets are committed, only once Kafka has them.
 */
@ApplicationScoped
public class DeadLetterChannel {

    private final MutinyEmitter<byte[]> emitter;
    private final String group;

    public DeadLetterChannel(@Channel("dead-letters") MutinyEmitter<byte[]> emitter,
            @ConfigProperty(name = "mp.messaging.incoming.memberships.group.id") String group) {
        this.emitter = emitter;
        this.group = group;
    }

    /** Sends each record with why it cannot be processed; retried until Kafka takes them. */
    public Uni<Void> send(Map<ConsumerRecord<String, byte[]>, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sent = reasons.entrySet().stream().map(dead -> {
            ConsumerRecord<String, byte[]> record = dead.getKey();
            // where, not why: the reason may quote the record, which may hold personal data
            Log.warnf("The record at %s-%d offset %d goes to the dead letters (the reason is in its headers)", record.topic(),
                    record.partition(), record.offset());
            return emitter.sendMessage(Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(record.key()).withHeaders(DeadLetters.headers(record, group, dead.getValue())).build()));
        }).toList();
        return Uni.join().all(sent).andFailFast().replaceWithVoid()
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely();
    }
}
