package dev.cdp.export.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/** What the connectors share: building a REST client, reading an answer, writing a JSON body, reading Retry-After. */
final class Responses {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private Responses() {
    }

    /** A client of the API at {@code base} that hands every answer back, whatever its status. */
    static <T> T client(Class<T> api, String base, Duration callTimeout) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(base)).connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).disableDefaultMapper(true).followRedirects(false)
                .build(api);
    }

    /** The answer's JSON ({@link MissingNode} when it is not JSON), closing the response. */
    static JsonNode body(Response response) {
        try (response) {
            if (!response.hasEntity()) {
                return MissingNode.getInstance();
            }
            byte[] bytes = response.readEntity(byte[].class);
            try {
                JsonNode node = JSON.readTree(bytes);
                return node == null ? MissingNode.getInstance() : node;
            } catch (IOException e) {
                return MissingNode.getInstance(); // an HTML error page from an edge: classified by its status
            }
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Duration.between(Instant.now(), at).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), at);
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    /** A JSON body written by {@code writer} into bytes. */
    static byte[] json(JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 12);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }
}
