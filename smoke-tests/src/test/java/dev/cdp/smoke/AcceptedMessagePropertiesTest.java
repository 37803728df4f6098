package dev.cdp.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.ProfileTraits;
import dev.cdp.events.RawEvent;
import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.config.JsonConfig;
import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.ingestion.messaging.RawEventPublisher;
import dev.cdp.ingestion.service.IntakeService;
import dev.cdp.ingestion.service.MessageValidator;
import dev.cdp.problem.Violation;
import dev.cdp.profile.service.EventReader;
import dev.cdp.testing.JsonTrees;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * What ingestion-service accepts, profile-service can store: a message that passes the intake's checks becomes the
 * record the intake publishes, and profile-service reads that record without finding it unreadable (which would
 * dead-letter it after the sender was told it was accepted), with every text storable and every profile field within
 * what the profile keeps. The messages are drawn from the Segment spec's calls with every field now and then replaced
 * by something hostile. The intake's checks never fail on their own either: they only name problems.
 */
class AcceptedMessagePropertiesTest {

    /** Configured as the intake's (decimals as written) and profile-service's (java.time) mappers are. */
    private static final ObjectMapper JSON = json();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MessageValidator VALIDATOR = new MessageValidator("TR");

    private static ObjectMapper json() {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        new JsonConfig().customize(json);
        return json;
    }

    @Property(tries = 2000)
    @StatisticsReport(onFailureOnly = true)
    void whatTheIntakeAcceptsProfileServiceReads(@ForAll("messages") Map.Entry<MessageType, ObjectNode> drawn) throws Exception {
        // accepted and refused messages of every kind are drawn often enough to mean something
        Statistics.coverage(coverage -> {
            for (MessageType kind : List.of(MessageType.TRACK, MessageType.IDENTIFY, MessageType.TRANSACTION)) {
                coverage.check(kind, true).percentage(share -> share >= 5);
                coverage.check(kind, false).percentage(share -> share >= 5);
            }
        });
        MessageType type = drawn.getKey();
        ObjectNode message = drawn.getValue();
        byte[] sent = JSON.writeValueAsBytes(message);
        ObjectNode received = (ObjectNode) JSON.readTree(sent);
        Instant receivedAt = Instant.now();
        List<Violation> violations = new ArrayList<>();
        Instant occurredAt = VALIDATOR.check(received, type, "", receivedAt, null, violations);
        Statistics.collect(type, violations.isEmpty());
        if (!violations.isEmpty()) {
            assertThat(violations).allSatisfy(violation -> assertThat(violation.field()).startsWith("/"));
            return;
        }
        RawEvent event = IntakeService.rawEvent("app", received, type, occurredAt, receivedAt);
        byte[] record = RawEventPublisher.record(new JsonFactory(), event, sent);

        RawEvent consumed = JSON.readValue(record, RawEvent.class);
        assertThatCode(() -> EventReader.read(consumed, record, "TR")).as("profile-service reads %s", message).doesNotThrowAnyException();
        assertStorable(consumed.payload());
        JsonNode traits = consumed.payload().path("traits");
        ProfileTraits.PATHS.values().stream().flatMap(List::stream).map(path -> traits.at("/" + path))
                .filter(JsonNode::isValueNode).forEach(value -> assertThat(value.asText().length()).isLessThanOrEqualTo(ProfileTraits.MAX_LENGTH));
    }

    private static void assertStorable(JsonNode node) {
        node.fieldNames().forEachRemaining(name -> assertThat(TextKeys.storable(name)).as("key %s", name).isTrue());
        if (node.isTextual()) {
            assertThat(TextKeys.storable(node.asText())).as("text %s", node.asText()).isTrue();
        }
        node.forEach(AcceptedMessagePropertiesTest::assertStorable);
    }

    /** A call of the spec, in four of ten with one of its values (or objects) replaced by a hostile one. */
    @Provide
    Arbitrary<Map.Entry<MessageType, ObjectNode>> messages() {
        return Combinators.combine(Arbitraries.oneOf(track(), identify(), transaction()), Arbitraries.integers().between(0, 1000), hostile(),
                Arbitraries.integers().between(0, 9)).as((drawn, which, bad, roll) -> {
                    if (roll >= 4) {
                        return drawn;
                    }
                    List<String> pointers = JsonTrees.pointers(drawn.getValue());
                    return Map.entry(drawn.getKey(), JsonTrees.replaced(drawn.getValue(), pointers.get(which % pointers.size()), bad));
                });
    }

    private Arbitrary<Map.Entry<MessageType, ObjectNode>> track() {
        return Combinators.combine(id(), Arbitraries.of("product_view", "fuel_price_view"), time(), name(), name()).as((userId, event, time, sku, campaign) -> {
            ObjectNode message = NODES.objectNode().put("userId", userId).put("event", event).put("timestamp", time);
            message.putObject("properties").put("sku", sku);
            message.putObject("context").putObject("campaign").put("name", campaign);
            return Map.entry(MessageType.TRACK, message);
        });
    }

    private Arbitrary<Map.Entry<MessageType, ObjectNode>> identify() {
        return Combinators.combine(id(), Arbitraries.of("ayse@example.com", "AYSE@Example.COM", "not-an-email"),
                Arbitraries.of("+90 532 111 22 33", "05321112233", "12", "+1 202 555 0143"), name(), name(), id(), Arbitraries.of("1990-03-07", "07.03.1990"))
                .as((userId, email, phone, city, segment, card, birthday) -> {
                    ObjectNode message = NODES.objectNode().put("userId", userId);
                    ObjectNode traits = message.putObject("traits").put("email", email).put("phone", phone).put("segment", segment)
                            .put("loyaltyCard", card).put("birthday", birthday);
                    traits.putObject("address").put("city", city);
                    traits.putObject("preferences").put("advertising", true);
                    return Map.entry(MessageType.IDENTIFY, message);
                });
    }

    private Arbitrary<Map.Entry<MessageType, ObjectNode>> transaction() {
        return Combinators.combine(id(), Arbitraries.of("FUEL", "MARKET", "PURCHASE"),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(100_000)).ofScale(2),
                Arbitraries.of("ayse@example.com", "AYSE@Example.COM"), Arbitraries.of("05321112233", "+905321112233"), id())
                .as((id, kind, amount, email, phone, card) -> {
                    ObjectNode message = NODES.objectNode().put("transactionId", id).put("transactionType", kind).put("amount", amount)
                            .put("currency", "TRY").put("email", email).put("phone", phone).put("loyaltyCard", card);
                    return Map.entry(MessageType.TRANSACTION, message);
                });
    }

    private Arbitrary<String> id() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20);
    }

    private Arbitrary<String> name() {
        return Arbitraries.strings().withChars("abcçdefgğhıijklmnoöprsştuüvyzİI -".toCharArray()).ofMinLength(1).ofMaxLength(30);
    }

    private Arbitrary<String> time() {
        return Arbitraries.of("2026-11-26T10:15:30+03:00", "2026-11-26T10:15:30Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    }

    /** Text PostgreSQL cannot hold, text longer than any field keeps, numbers and nodes of the wrong kind, nothing. */
    private Arbitrary<JsonNode> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40).map(text -> (JsonNode) NODES.textNode(text)),
                Arbitraries.of("a\u0000b", "\ud800", "\udc00x", "k".repeat(9000), "c".repeat(256), " ", "'; DROP TABLE profile.customers; --")
                        .map(text -> (JsonNode) NODES.textNode(text)),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-0.000001"), new BigDecimal("1.23456"),
                        new BigDecimal("123456789012345678901234567890")).map(NODES::numberNode),
                Arbitraries.of("0.000001", "1.23456", "1e3", "NaN", "12,50", "2026-02-30T00:00:00Z", "+999999999-12-31T23:59:59Z", "yesterday")
                        .map(text -> (JsonNode) NODES.textNode(text)),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.just(NODES.booleanNode(false)),
                Arbitraries.just(NODES.objectNode().put("nested", "x")),
                Arbitraries.just(NODES.arrayNode().add(1)));
    }
}
