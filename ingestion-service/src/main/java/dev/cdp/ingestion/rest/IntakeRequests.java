package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.domain.Envelope;
import dev.cdp.ingestion.service.AllowedOrigins;
import dev.cdp.ingestion.service.ContentDecoder;
import dev.cdp.ingestion.service.IntakeRateLimits;
import dev.cdp.ingestion.service.MessageValidator;
import dev.cdp.ingestion.service.WriteKeys;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads intake requests: the write key and the page's origin, the body's type and encoding, the size limits and the
 * JSON, with a problem for each way they can fail.
 */
@ApplicationScoped
public class IntakeRequests {

    private final ObjectMapper json;
    /** Reads the values of a body read piece by piece: whether content follows the body is checked at its end. */
    private final ObjectReader streaming;
    private final WriteKeys writeKeys;
    private final AllowedOrigins origins;
    private final IngestionConfig config;
    private final IntakeRateLimits limits;

    public IntakeRequests(ObjectMapper json, WriteKeys writeKeys, AllowedOrigins origins, IngestionConfig config,
            IntakeRateLimits limits) {
        this.json = json;
        this.streaming = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writeKeys = writeKeys;
        this.origins = origins;
        this.config = config;
        this.limits = limits;
    }

    /**
     * A body that holds whole messages, and what it says at the top level: the write key, and the batch's
     * {@code sentAt} (null when absent), the send time of the messages that do not carry their own.
     */
    public record Parsed(List<Envelope> envelopes, JsonNode writeKey, Instant sentAt) {
    }

    /**
     * The source a call comes from, by Segment's scheme: HTTP Basic with the write key as user name (the password is
     * ignored), else the {@code writeKey} query parameter (RudderStack's beacons), else {@code writeKey} in the body.
     * A call from a web page must come from an origin its key allows (or, for a key without its own, its source).
     * The {@code messages} count against the key's rate.
     */
    public String source(IntakeCall call, JsonNode writeKeyInBody, int messages) {
        String writeKey = basicUser(call.authorization);
        if (writeKey == null) {
            writeKey = call.writeKey;
        }
        if (writeKey == null && writeKeyInBody != null && writeKeyInBody.isTextual()) {
            writeKey = writeKeyInBody.asText();
        }
        if (writeKey == null && call.authorization == null && writeKeyInBody == null) {
            throw new ProblemException(Status.UNAUTHORIZED, "unauthorized",
                    "A write key is required: HTTP Basic with the key as user name, or writeKey in the body");
        }
        WriteKeys.Key key = writeKeys.resolve(writeKey)
                .orElseThrow(() -> new ProblemException(Status.UNAUTHORIZED, "unauthorized", "The write key is not valid"));
        String source = key.source();
        if (call.origin != null && !origins.allows(key, call.origin)) {
            throw new ProblemException(Status.FORBIDDEN, "origin-not-allowed", "Web pages of " + abbreviate(call.origin)
                    + " may not send to source " + source + (key.origins().isEmpty()
                            ? "; add the origin to CDP_ALLOWED_ORIGINS for it" : " with this key; add the origin to its allowedOrigins"));
        }
        limits.admit(key, messages);
        return source;
    }

    /** One message ({@code /v1/track} and the other single calls). */
    public Parsed single(IntakeCall call, byte[] body) {
        return one(decode(call, body, config.maxMessageBytes(), "A message"));
    }

    private Parsed one(byte[] body) {
        JsonNode message = parse(body);
        return new Parsed(List.of(new Envelope(message, body.length, body, "")), message.get("writeKey"), null);
    }

    /**
     * A Segment batch, {@code {"batch": [...], "context": {...}, "integrations": {...}}}: each message's size is
     * measured as sent, and the batch's context and integrations are merged into each message (the message's own
     * fields win), as Segment does.
     */
    public Parsed batch(IntakeCall call, byte[] sent) {
        byte[] body = decode(call, sent, config.maxBatchBytes(), "A batch");
        List<Envelope> envelopes = new ArrayList<>();
        JsonNode writeKey = null;
        JsonNode sentAt = null;
        ObjectNode context = null;
        ObjectNode integrations = null;
        boolean sawBatch = false;
        try (JsonParser parser = streamingParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.invalid(List.of(new Violation("/", "must be a JSON object with a batch array")));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "batch" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw ProblemException.invalid(List.of(new Violation("/batch", "must be an array of messages")));
                        }
                        sawBatch = true;
                        readElements(body, parser, "/batch/", envelopes);
                    }
                    case "writeKey" -> writeKey = parser.readValueAsTree();
                    case "sentAt" -> sentAt = parser.readValueAsTree();
                    case "context" -> context = parser.readValueAsTree() instanceof ObjectNode node ? node : null;
                    case "integrations" -> integrations = parser.readValueAsTree() instanceof ObjectNode node ? node : null;
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw ProblemException.invalid(List.of(new Violation("/", "must be one JSON object, with nothing after it")));
            }
        } catch (JsonProcessingException e) {
            throw ProblemException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!sawBatch || envelopes.isEmpty()) {
            throw ProblemException.invalid(List.of(new Violation("/batch", "must be an array of at least one message")));
        }
        if (context != null || integrations != null) {
            for (int i = 0; i < envelopes.size(); i++) {
                Envelope envelope = envelopes.get(i);
                if (envelope.message() instanceof ObjectNode message) {
                    mergeInto(message, "context", context);
                    mergeInto(message, "integrations", integrations);
                    envelopes.set(i, new Envelope(message, envelope.bytes(), null, envelope.pointer())); // changed: not as sent
                }
            }
        }
        return new Parsed(envelopes, writeKey, time(sentAt, "/sentAt"));
    }

    /** A date-time at the top of a body, or null when absent. */
    private static Instant time(JsonNode value, String pointer) {
        if (value == null || value.isNull()) {
            return null;
        }
        Instant time = value.isTextual() ? MessageValidator.parseTime(value.asText()) : null;
        if (time == null) {
            throw ProblemException.invalid(List.of(new Violation(pointer,
                    "must be an ISO-8601 date-time with a time zone, such as 2026-11-26T10:15:30Z")));
        }
        return time;
    }

    /** One message or a JSON array of them ({@code /v1/transactions}). */
    public Parsed oneOrMany(IntakeCall call, byte[] sent) {
        byte[] body = decode(call, sent, config.maxBatchBytes(), "A batch");
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '[') {
            if (body.length > config.maxMessageBytes()) {
                throw tooLarge("A message may be at most " + config.maxMessageBytes() + " bytes; this one is " + body.length);
            }
            return one(body);
        }
        List<Envelope> envelopes = new ArrayList<>();
        try (JsonParser parser = streamingParser(body)) {
            parser.nextToken();
            readElements(body, parser, "/", envelopes);
            if (parser.nextToken() != null) {
                throw ProblemException.invalid(List.of(new Violation("/", "must be one JSON array")));
            }
        } catch (JsonProcessingException e) {
            throw ProblemException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (envelopes.isEmpty()) {
            throw ProblemException.invalid(List.of(new Violation("/", "must hold at least one transaction")));
        }
        return new Parsed(envelopes, null, null);
    }

    /** Reads the elements of the array the parser stands on, each with its size in bytes. */
    private void readElements(byte[] body, JsonParser parser, String pointerPrefix, List<Envelope> envelopes) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (envelopes.size() == config.maxBatchMessages()) {
                throw tooLarge("A batch may hold at most " + config.maxBatchMessages() + " messages");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode message = parser.readValueAsTree();
            long end = parser.currentLocation().getByteOffset();
            envelopes.add(new Envelope(message, end - start, Arrays.copyOfRange(body, (int) start, (int) end),
                    pointerPrefix + envelopes.size()));
        }
    }

    private JsonParser streamingParser(byte[] body) throws IOException {
        JsonParser parser = json.createParser(body);
        parser.setCodec(streaming); // the mapper itself would refuse every value that is not the body's last
        return parser;
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode message = json.readTree(body);
            return message == null ? json.missingNode() : message;
        } catch (JsonProcessingException e) {
            throw ProblemException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body as JSON bytes: its media type must be one a JSON body comes as (the SDKs' quirks included), and its
     * encoding is undone within {@code limit} decoded bytes.
     */
    private static byte[] decode(IntakeCall call, byte[] body, int limit, String what) {
        checkJsonMediaType(call.contentType);
        return utf8(ContentDecoder.decodeAll(body, call.contentEncoding, limit, size -> call.contentEncoding == null
                ? what + " may be at most " + limit + " bytes; this one is " + size
                : what + " may be at most " + limit + " bytes once decoded; this " + call.contentEncoding.trim() + " body decodes to more"));
    }

    /**
     * The body as UTF-8 without a byte order mark, which JSON between systems must be (RFC 8259): a leading UTF-8 BOM is
     * dropped (parsers may ignore it), and UTF-16 or UTF-32 is refused. Messages are kept as the bytes they were sent
     * in, and profile-service reads them as UTF-8, so another encoding would be accepted here and lost there.
     */
    static byte[] utf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            return Arrays.copyOfRange(body, 3, body.length);
        }
        // JSON text starts with an ASCII character, so a zero among the first two bytes, or a UTF-16 BOM, is UTF-16/32
        boolean wide = body.length >= 2 && (body[0] == 0 || body[1] == 0
                || ((body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF) || ((body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE));
        if (wide) {
            throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-encoding",
                    "Send JSON encoded as UTF-8 (RFC 8259); this body is UTF-16 or UTF-32");
        }
        return body;
    }

    /**
     * JSON arrives as {@code application/json} (or a {@code +json} type), as {@code text/plain} from browsers
     * (analytics.js and beacons send it to avoid a CORS preflight), as {@code application/x-www-form-urlencoded} from
     * RudderStack's Node SDK, or with no type at all; anything else is refused.
     */
    static void checkJsonMediaType(String contentType) {
        String mediaType = mediaType(contentType);
        switch (mediaType) {
            case "", "application/json", "text/plain", "application/x-www-form-urlencoded" -> {
            }
            default -> {
                if (!mediaType.endsWith("+json")) {
                    throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Send the body as JSON with "
                            + "Content-Type application/json (text/plain is read as JSON too); " + abbreviate(mediaType) + " is not JSON");
                }
            }
        }
    }

    /** The media type of a Content-Type header, lower case and without its parameters; "" when there is none. */
    static String mediaType(String contentType) {
        return contentType == null ? "" : TextKeys.lower(contentType.split(";", 2)[0]);
    }

    /** A value the caller sent, shortened for a problem's detail. */
    private static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    private static void mergeInto(ObjectNode message, String field, ObjectNode batchLevel) {
        if (batchLevel == null) {
            return;
        }
        JsonNode own = message.get(field);
        if (own == null || own.isNull()) {
            message.set(field, batchLevel.deepCopy());
        } else if (own instanceof ObjectNode ownObject) {
            batchLevel.properties().forEach(entry -> {
                if (!ownObject.has(entry.getKey())) {
                    ownObject.set(entry.getKey(), entry.getValue().deepCopy());
                }
            });
        }
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "too-large", detail);
    }

    /** The user name of an HTTP Basic header, or null. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon < 0 ? credentials : credentials.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
