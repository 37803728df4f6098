package dev.cdp.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** What the tests read back from cdp.events.raw, as JSON, and how they call the intake. */
final class RawTopic {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    static final Duration WAIT = Duration.ofSeconds(30);

    private RawTopic() {
    }

    /** A request from the web source (HTTP Basic with its write key). */
    static RequestSpecification web() {
        return as("wk_web_dev");
    }

    static RequestSpecification pos() {
        return as("wk_pos_dev");
    }

    private static RequestSpecification as(String writeKey) {
        return RestAssured.given().auth().preemptive().basic(writeKey, "").contentType("application/json");
    }

    /** The values of the first {@code count} records with this key. */
    static List<JsonNode> awaitKey(String key, int count) {
        return await(record -> key.equals(record.path("_key").asText()), count);
    }

    /** The values of the first {@code count} records that match (each value carries its Kafka key as {@code _key}). */
    static List<JsonNode> await(Predicate<JsonNode> match, int count) {
        return KafkaTestClient.awaitRecords(Topics.EVENTS_RAW, record -> match.test(parse(record.key(), record.value())), count, WAIT)
                .stream().map(record -> parse(record.key(), record.value())).toList();
    }

    /** Every record that matches within a few seconds; for asserting that nothing was published. */
    static List<JsonNode> within(Predicate<JsonNode> match, Duration window) {
        return KafkaTestClient.recordsWithin(Topics.EVENTS_RAW, record -> match.test(parse(record.key(), record.value())), window)
                .stream().map(record -> parse(record.key(), record.value())).toList();
    }

    private static JsonNode parse(String key, String value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node != null && node.isObject()) {
                ((ObjectNode) node).put("_key", key);
            }
            return node == null ? JSON.missingNode() : node;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
