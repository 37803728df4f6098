package dev.cdp.export.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent;
import dev.cdp.export.hash.Hasher;
import dev.cdp.export.platform.Normalized;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the conversion connectors write alike: optional fields, hash arrays, parameters, a call's body of prepared events. */
final class ConversionJson {

    private ConversionJson() {
    }

    static void text(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /** A list of hashes (the platforms take several per key), left out when none is there. */
    static void hashes(JsonGenerator json, String field, String... hashes) throws IOException {
        hashes(json, field, java.util.Arrays.asList(hashes));
    }

    static void hashes(JsonGenerator json, String field, List<String> hashes) throws IOException {
        List<String> present = hashes.stream().filter(hash -> hash != null).distinct().toList();
        if (!present.isEmpty()) {
            json.writeArrayFieldStart(field);
            for (String hash : present) {
                json.writeString(hash);
            }
            json.writeEndArray();
        }
    }

    /**
     * The hashed external ids: our customer id, then the sender's user ids (the ids a browser pixel may send as its
     * external_id), each normalized by {@code normalizer}.
     */
    static List<String> externalIds(StoredEvent event, Function<String, Normalized> normalizer, Hasher hasher) {
        List<String> hashes = new ArrayList<>();
        hashes.add(hasher.sha256(normalizer.apply(event.customerId().toString())));
        if (event.person() != null && event.person().userIds() != null) {
            for (String userId : event.person().userIds()) {
                hashes.add(hasher.sha256(normalizer.apply(userId)));
            }
        }
        return hashes;
    }

    /** The rule's parameters as they are, except those the caller writes itself. */
    static void parameters(JsonGenerator json, Conversion conversion, List<String> except) throws IOException {
        for (var parameter : conversion.parameters().entrySet()) {
            if (!except.contains(parameter.getKey())) {
                json.writeFieldName(parameter.getKey());
                json.writeTree(parameter.getValue());
            }
        }
    }

    static JsonNode parameter(Conversion conversion, String name) {
        return conversion.parameters().get(name);
    }

    /** {@code {<before>..., "<field>": [events...]}}: the prepared events written as they are. */
    static byte[] body(String field, List<String> events, Responses.JsonWriter before) {
        return Responses.json(json -> {
            json.writeStartObject();
            before.write(json);
            json.writeArrayFieldStart(field);
            for (String event : events) {
                json.writeRawValue(event);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    static String event(Responses.JsonWriter writer) {
        return new String(Responses.json(writer), java.nio.charset.StandardCharsets.UTF_8);
    }
}
