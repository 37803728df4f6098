package dev.cdp.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.events.PhoneNumbers;
import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.domain.Envelope;
import dev.cdp.ingestion.domain.IntakeReport;
import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.ingestion.messaging.RawEventPublisher;
import dev.cdp.ingestion.messaging.RawEventPublisher.Keyed;
import dev.cdp.ingestion.service.IntakeMetrics.Outcome;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Accepts messages from an authenticated source: validates each, publishes the valid ones keyed by customer and
 * answers once Kafka has all of them. (A CompletionStage rather than a Uni: it spares the hot path Mutiny's context
 * propagation, a tenth of the CPU per request; see docs/performance.md.) Batches are partial: valid messages are accepted and invalid ones reported,
 * unless none is valid, which is a 400.
 */
@ApplicationScoped
public class IntakeService {

    /** How long a sender should wait before retrying when Kafka did not take the messages. */
    public static final int RETRY_AFTER_SECONDS = 10;

    private final MessageValidator validator;
    private final RawEventPublisher publisher;
    private final IntakeMetrics metrics;
    private final int maxMessageBytes;
    private final String defaultPhoneRegion;

    public IntakeService(MessageValidator validator, RawEventPublisher publisher, IntakeMetrics metrics, IngestionConfig config) {
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxMessageBytes = config.maxMessageBytes();
        this.defaultPhoneRegion = config.defaultPhoneRegion();
    }

    /**
     * Accepts the messages of one request. {@code fixedType} is the endpoint's type (track, ...) or empty where each
     * message names its own ({@code /v1/batch}); {@code batchSentAt} is the batch's send time, or null.
     */
    public CompletionStage<IntakeReport> accept(String source, List<Envelope> envelopes, Optional<MessageType> fixedType,
            Instant batchSentAt) {
        Instant receivedAt = Instant.now();
        List<Keyed> valid = new ArrayList<>(envelopes.size());
        List<Violation> rejected = new ArrayList<>();
        int rejectedCount = 0;
        for (Envelope envelope : envelopes) {
            List<Violation> violations = new ArrayList<>();
            Keyed message = prepare(source, envelope, fixedType, receivedAt, batchSentAt, violations);
            if (message == null) {
                rejected.addAll(violations);
                rejectedCount++;
            } else {
                valid.add(message);
            }
        }
        if (valid.isEmpty()) {
            throw ProblemException.invalid(rejected);
        }
        IntakeReport report = new IntakeReport(valid.stream().map(message -> message.event().messageId()).toList(), rejected, rejectedCount);
        CompletableFuture<IntakeReport> answer = new CompletableFuture<>();
        publish(source, valid, failure -> {
            if (failure == null) {
                answer.complete(report);
            } else {
                answer.completeExceptionally(unavailable(failure));
            }
        });
        return answer;
    }

    /**
     * Validates one message and wraps it for Kafka; returns null, with the reasons added to {@code violations}, when
     * it is rejected.
     */
    public Keyed prepare(String source, Envelope envelope, Optional<MessageType> fixedType, Instant receivedAt,
            Instant batchSentAt, List<Violation> violations) {
        MessageType type = type(envelope, fixedType, violations);
        Instant occurredAt = violations.isEmpty()
                ? validator.check((ObjectNode) envelope.message(), type, envelope.pointer(), receivedAt, batchSentAt, violations)
                : null;
        if (!violations.isEmpty()) {
            metrics.count(source, type, Outcome.rejected, 1);
            return null;
        }
        ObjectNode message = (ObjectNode) envelope.message();
        return new Keyed(key(message), rawEvent(source, message, type, occurredAt, receivedAt), envelope.raw());
    }

    /** The raw event an accepted message becomes on {@code cdp.events.raw}. */
    public static RawEvent rawEvent(String source, ObjectNode message, MessageType type, Instant occurredAt, Instant receivedAt) {
        return new RawEvent(messageId(message, type), source, type.wireName(), text(message, "userId"),
                text(message, "anonymousId"), occurredAt, receivedAt, RawEvent.SCHEMA_VERSION, message);
    }

    /**
     * Publishes validated messages; {@code done} gets null once Kafka has all of them, or the failure, on a Kafka
     * client thread.
     */
    public void publish(String source, List<Keyed> messages, Consumer<Throwable> done) {
        publisher.send(messages, failure -> {
            Map<MessageType, Integer> counts = new EnumMap<>(MessageType.class);
            for (Keyed message : messages) {
                counts.merge(MessageType.fromWireName(message.event().type()).orElseThrow(), 1, Integer::sum);
            }
            Outcome outcome = failure == null ? Outcome.accepted : Outcome.failed;
            counts.forEach((type, count) -> metrics.count(source, type, outcome, count));
            done.accept(failure);
        });
    }

    /** The 503 for messages Kafka did not take; the sender retries with the same messageIds. */
    public static ProblemException unavailable(Throwable failure) {
        Log.warnf("Kafka did not take messages: %s", failure.getMessage());
        return new ProblemException(Status.SERVICE_UNAVAILABLE, "storage-unavailable",
                "The messages could not be stored right now; send them again (with the same messageIds) later.")
                .withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }

    /**
     * The message's type; a message that is too large, not an object or of no known type is added to
     * {@code violations} (the type is then null when it has no usable one).
     */
    private MessageType type(Envelope envelope, Optional<MessageType> fixedType, List<Violation> violations) {
        String at = envelope.pointer();
        if (envelope.bytes() > maxMessageBytes) {
            violations.add(new Violation(at.isEmpty() ? "/" : at, "is " + envelope.bytes()
                    + " bytes; a message may be at most " + maxMessageBytes));
            return fixedType.orElse(null);
        }
        if (!(envelope.message() instanceof ObjectNode message)) {
            violations.add(new Violation(at.isEmpty() ? "/" : at, "must be a JSON object"));
            return fixedType.orElse(null);
        }
        JsonNode typeField = message.get("type");
        MessageType type;
        if (fixedType.isPresent()) {
            type = fixedType.get();
            if (typeField != null && !typeField.isNull() && !type.wireName().equals(typeField.asText())) {
                violations.add(new Violation(at + "/type", "must be \"" + type.wireName() + "\" on this endpoint"));
                return type;
            }
        } else {
            type = typeField != null && typeField.isTextual() ? MessageType.fromWireName(typeField.asText()).orElse(null) : null;
            if (type == null) {
                violations.add(new Violation(at + "/type", typeField == null || typeField.isNull()
                        ? "is required: identify, track, page, screen, group, alias or transaction"
                        : "must be one of identify, track, page, screen, group, alias, transaction"));
                return null;
            }
        }
        return type;
    }

    /**
     * The sender's messageId; for a transaction without one, derived from its transactionId, so a POS that sends a
     * transaction twice does not count it twice; otherwise a new UUID.
     */
    static String messageId(ObjectNode message, MessageType type) {
        if (message.hasNonNull("messageId")) {
            return message.get("messageId").asText();
        }
        if (type == MessageType.TRANSACTION) {
            return "transaction-" + message.get("transactionId").asText();
        }
        return randomUuid().toString();
    }

    /** A version 4 UUID from a thread-local generator: ids need to be unique, not unguessable, and SecureRandom is slow. */
    static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /**
     * The Kafka key: the customer, so one customer's messages stay in order on one partition. userId, else
     * anonymousId, else the identifier a transaction names, in the form profile-service matches it by (an email by
     * {@link TextKeys#email}, a phone in E.164), so two spellings of one customer share a partition.
     */
    String key(ObjectNode message) {
        if (message.hasNonNull("userId")) {
            return message.get("userId").asText().strip();
        }
        if (message.hasNonNull("anonymousId")) {
            return message.get("anonymousId").asText().strip();
        }
        Optional<String> email = message.hasNonNull("email") ? TextKeys.email(message.get("email").asText()) : Optional.empty();
        if (email.isPresent()) {
            return "email:" + email.get();
        }
        Optional<String> phone = message.hasNonNull("phone")
                ? PhoneNumbers.e164(message.get("phone").asText().strip(), null, defaultPhoneRegion) : Optional.empty();
        return phone.map(e164 -> "phone:" + e164).orElseGet(() -> "loyaltyCard:" + message.get("loyaltyCard").asText().strip());
    }

    private static String text(ObjectNode message, String field) {
        JsonNode value = message.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
