package dev.cdp.ingestion.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.service.AllowedOrigins;
import dev.cdp.ingestion.service.WriteKeys;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.StorableJson;
import dev.cdp.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Makes, changes, rotates and revokes managed write keys; each change is loaded by {@link WriteKeys} at once. */
@ApplicationScoped
public class WriteKeyService {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_ORIGINS = 20;
    static final int MAX_RATE = 1_000_000;
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(30);
    private static final Set<String> FIELDS = Set.of("name", "source", "allowedOrigins", "ratePerSecond");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WriteKeys writeKeys;
    private final int defaultRate;

    public WriteKeyService(WriteKeys writeKeys, IngestionConfig config) {
        this.writeKeys = writeKeys;
        this.defaultRate = config.defaultKeyRate();
    }

    /** A key made from {@code {"name", "source", "allowedOrigins": [...], "ratePerSecond"}}; the answer holds the key. */
    public Uni<WriteKeyView> create(JsonNode body, String actor) {
        List<Violation> violations = new ArrayList<>();
        checkFields(body, violations);
        String name = text(body, "name", true, violations);
        String source = text(body, "source", true, violations);
        if (source != null && !AllowedOrigins.SOURCE.matcher(source).matches()) {
            violations.add(new Violation("/source", "must be 1-64 lower-case letters, digits, '_' or '-' (web, app, pos, ...)"));
        }
        String origins = origins(body, violations);
        Integer rate = rate(body, violations);
        invalidIfAny(violations);
        WriteKey key = new WriteKey();
        String secret = newKey(key, name, source, origins == null ? "" : origins, rate == null ? defaultRate : rate, actor);
        return Panache.withTransaction(key::persist).chain(writeKeys::reload).map(done -> WriteKeyView.of(key, secret));
    }

    public Uni<List<WriteKeyView>> list() {
        return Panache.withSession(() -> WriteKey.<WriteKey>find("order by createdAt desc").list())
                .map(keys -> keys.stream().map(key -> WriteKeyView.of(key, null)).toList());
    }

    public Uni<WriteKeyView> get(UUID id) {
        return Panache.withSession(() -> find(id)).map(key -> WriteKeyView.of(key, null));
    }

    /** Changes name, allowedOrigins or ratePerSecond; the source and the key stay. */
    public Uni<WriteKeyView> update(UUID id, JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        checkFields(body, violations);
        if (body.has("source")) {
            violations.add(new Violation("/source", "cannot change: make a key for the other source"));
        }
        String name = text(body, "name", false, violations);
        String origins = origins(body, violations);
        Integer rate = rate(body, violations);
        invalidIfAny(violations);
        return Panache.withTransaction(() -> find(id).invoke(key -> {
            if (name != null) {
                key.name = name;
            }
            if (origins != null) {
                key.allowedOrigins = origins;
            }
            if (rate != null) {
                key.ratePerSecond = rate;
            }
            key.updatedAt = Instant.now();
        })).call(writeKeys::reload).map(key -> WriteKeyView.of(key, null));
    }

    /**
     * A new key for the same source, origins and rate; the old one keeps working for {@code overlap} (ISO-8601,
     * default PT24H, at most P30D; PT0S ends it at once), so senders can move over without losing a call.
     */
    public Uni<WriteKeyView> rotate(UUID id, JsonNode body, String actor) {
        Duration overlap = DEFAULT_OVERLAP;
        JsonNode given = body == null ? null : body.get("overlap");
        if (given != null && !given.isNull()) {
            try {
                overlap = Duration.parse(given.asText());
            } catch (DateTimeParseException e) {
                overlap = null;
            }
            if (!given.isTextual() || overlap == null || overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
                throw ProblemException.invalid(List.of(new Violation("/overlap", "must be an ISO-8601 duration from PT0S to P30D")));
            }
        }
        Duration keptFor = overlap;
        return Panache.withTransaction(() -> find(id).chain(old -> {
            if (!old.usableAt(Instant.now())) {
                throw new ProblemException(Status.CONFLICT, "key-not-usable",
                        "Only a usable key can be rotated; this one is " + WriteKeyView.of(old, null).status());
            }
            WriteKey next = new WriteKey();
            String secret = newKey(next, old.name, old.source, old.allowedOrigins, old.ratePerSecond, actor);
            old.expiresAt = next.createdAt.plus(keptFor);
            old.replacedBy = next.id;
            old.updatedAt = next.createdAt;
            return next.<WriteKey>persist().map(persisted -> WriteKeyView.of(next, secret));
        })).call(writeKeys::reload);
    }

    /** Stops the key at once (on the other replicas within the reload interval). */
    public Uni<Void> revoke(UUID id) {
        return Panache.withTransaction(() -> find(id).invoke(key -> {
            if (key.revokedAt == null) {
                key.revokedAt = Instant.now();
                key.updatedAt = key.revokedAt;
            }
        })).chain(writeKeys::reload);
    }

    private static Uni<WriteKey> find(UUID id) {
        return WriteKey.<WriteKey>findById(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("There is no write key " + id));
    }

    /** Fills in a new key with a fresh secret's hash and hint; answers the secret, which is kept nowhere. */
    private static String newKey(WriteKey key, String name, String source, String origins, int rate, String actor) {
        key.id = UUID.randomUUID();
        key.name = name;
        key.source = source;
        key.allowedOrigins = origins;
        key.ratePerSecond = rate;
        key.createdAt = Instant.now();
        key.updatedAt = key.createdAt;
        key.createdBy = actor;
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String secret = "wk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        key.keyHash = WriteKeys.hash(secret);
        key.keyHint = secret.substring(0, 7) + "…" + secret.substring(secret.length() - 4);
        return secret;
    }

    private static void checkFields(JsonNode body, List<Violation> violations) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(List.of(new Violation("/", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                violations.add(new Violation("/" + field, "is not a field of a write key (name, source, allowedOrigins, ratePerSecond)"));
            }
        });
        StorableJson.check(body, "", violations);
    }

    private static String text(JsonNode body, String field, boolean required, List<Violation> violations) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation("/" + field, "is required"));
            }
            return null;
        }
        String text = value.isTextual() ? value.asText().strip() : "";
        if (text.isEmpty() || text.length() > MAX_NAME_LENGTH) {
            violations.add(new Violation("/" + field, "must be a text of 1-" + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        return text;
    }

    /** The origins as stored (space-separated), or null when not given. */
    private static String origins(JsonNode body, List<Violation> violations) {
        JsonNode value = body.get("allowedOrigins");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.size() > MAX_ORIGINS) {
            violations.add(new Violation("/allowedOrigins", "must be an array of at most " + MAX_ORIGINS + " origins"));
            return null;
        }
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String origin = value.get(i).isTextual() ? value.get(i).asText().strip() : "";
            try {
                if (origin.isEmpty() || origin.contains(" ") || origin.length() > 255 || AllowedOrigins.patterns(origin).isEmpty()) {
                    throw new IllegalArgumentException("must be an origin such as https://www.example.com");
                }
                origins.add(origin);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("/allowedOrigins/" + i, e.getMessage()));
            }
        }
        return String.join(" ", origins);
    }

    private static Integer rate(JsonNode body, List<Violation> violations) {
        JsonNode value = body.get("ratePerSecond");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_RATE) {
            violations.add(new Violation("/ratePerSecond", "must be a whole number of messages per second from 1 to " + MAX_RATE));
            return null;
        }
        return value.asInt();
    }

    private static void invalidIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
    }
}
