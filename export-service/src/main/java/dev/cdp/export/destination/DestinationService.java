package dev.cdp.export.destination;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.TextKeys;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.delivery.Connectors;
import dev.cdp.export.delivery.Delivery;
import dev.cdp.export.delivery.DeliveryException;
import dev.cdp.export.delivery.PlatformAnswer;
import dev.cdp.export.delivery.Target;
import dev.cdp.export.delivery.WebhookConnector;
import dev.cdp.export.rest.RequestBodies;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Destinations checked, stored with sealed credentials, shown without them, and tested. */
@ApplicationScoped
public class DestinationService {

    static final int MAX_NAME = 100;
    static final int MAX_VALUE = 4096;
    private static final List<String> PROPERTIES = List.of("name", "kind", "settings", "credentials");
    private static final String OBJECT = " with name, kind, settings and credentials";
    private static final String NOT_A_PROPERTY = "is not a property of a destination";
    private static final List<String> ACCOUNT_TYPES = List.of("GOOGLE_ADS", "DISPLAY_VIDEO_PARTNER", "DISPLAY_VIDEO_ADVERTISER", "DATA_PARTNER");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,30}");
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    /** The outcome of a connection test, as the platform said it. */
    public record ConnectionTest(boolean ok, String outcome, Integer httpStatus, String platformCode, String requestId, String message,
            long durationMs) {
    }

    private final CredentialVault vault;
    private final ObjectMapper json;
    private final Connectors connectors;
    private final Delivery delivery;
    private final DeliveryConfig config;
    private final Pool pool;

    public DestinationService(CredentialVault vault, ObjectMapper json, Connectors connectors, Delivery delivery, DeliveryConfig config, Pool pool) {
        this.vault = vault;
        this.json = json;
        this.connectors = connectors;
        this.delivery = delivery;
        this.config = config;
        this.pool = pool;
    }

    public Uni<DestinationView> create(JsonNode body) {
        RequestBodies.requireObject(body, OBJECT);
        List<Violation> violations = new ArrayList<>();
        RequestBodies.allowOnly(body, PROPERTIES, NOT_A_PROPERTY, violations);
        String name = name(body.get("name"), true, violations);
        DestinationKind kind = kind(body.get("kind"), violations);
        Map<String, String> settings = kind == null ? Map.of() : settings(kind, body.get("settings"), violations);
        Map<String, String> credentials = kind == null ? Map.of() : credentials(kind, body.get("credentials"), true, violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        String generatedSecret = null;
        if (kind == DestinationKind.WEBHOOK && !credentials.containsKey("signingSecret")) {
            generatedSecret = WebhookConnector.newSecret();
            credentials = new LinkedHashMap<>(credentials);
            credentials.put("signingSecret", generatedSecret);
        }
        Destination destination = new Destination();
        destination.id = UUID.randomUUID();
        destination.name = name;
        destination.kind = kind;
        destination.settings = settings;
        destination.credentials = seal(destination.id, credentials);
        destination.createdAt = Instant.now();
        destination.updatedAt = destination.createdAt;
        String secret = generatedSecret;
        Log.infof("Destination %s (%s) created", destination.id, kind);
        return Panache.withTransaction(destination::persist).replaceWith(() -> view(destination, secret))
                .onFailure(DestinationService::nameTaken).transform(e -> taken(name));
    }

    /** Changes the name, the settings (all of them) or the credentials (all of them); the kind stays. */
    public Uni<DestinationView> update(UUID id, JsonNode body) {
        RequestBodies.requireObject(body, OBJECT);
        return Panache.withTransaction(() -> find(id).map(destination -> {
            List<Violation> violations = new ArrayList<>();
            RequestBodies.allowOnly(body, PROPERTIES, NOT_A_PROPERTY, violations);
            if (body.has("kind") && !body.get("kind").asText("").equalsIgnoreCase(destination.kind.name())) {
                violations.add(new Violation("/kind", "cannot change; create another destination"));
            }
            String name = body.has("name") ? name(body.get("name"), true, violations) : destination.name;
            Map<String, String> settings = body.has("settings") ? settings(destination.kind, body.get("settings"), violations) : destination.settings;
            Map<String, String> credentials = body.has("credentials") ? credentials(destination.kind, body.get("credentials"), true, violations) : null;
            if (credentials != null && destination.kind == DestinationKind.WEBHOOK && !credentials.containsKey("signingSecret")) {
                violations.add(new Violation("/credentials/signingSecret", "is required when the credentials are replaced"));
            }
            if (!violations.isEmpty()) {
                throw ProblemException.invalid(violations);
            }
            destination.name = name;
            destination.settings = settings;
            if (credentials != null) {
                destination.credentials = seal(destination.id, credentials);
                destination.status = Destination.Status.ACTIVE; // new credentials: its syncs may try again
                destination.attention = null;
            }
            destination.updatedAt = Instant.now();
            delivery.reset(destination.id);
            Log.infof("Destination %s updated%s", destination.id, credentials != null ? " with new credentials" : "");
            return view(destination, null);
        })).onFailure(DestinationService::nameTaken).transform(e -> taken(body.path("name").asText()));
    }

    public Uni<DestinationView> get(UUID id) {
        return Panache.withSession(() -> find(id)).map(destination -> view(destination, null));
    }

    public Uni<List<DestinationView>> list() {
        return Panache.withSession(() -> Destination.<Destination>find("order by lower(name)").list())
                .map(all -> all.stream().map(destination -> view(destination, null)).toList());
    }

    /** Deletes a destination no sync uses. */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> find(id).chain(destination -> pool.preparedQuery("SELECT count(*) FROM export.syncs WHERE destination_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong(0))
                .chain(syncs -> {
                    if (syncs > 0) {
                        throw new ProblemException(Status.CONFLICT, "destination-in-use",
                                "Destination " + id + " is used by " + syncs + " sync(s); delete them first");
                    }
                    delivery.reset(id);
                    return destination.delete();
                })));
    }

    /** A harmless call to the platform with the destination's credentials; a pass clears NEEDS_ATTENTION, a refusal sets it. */
    public Uni<ConnectionTest> test(UUID id) {
        Context context = Vertx.currentContext();
        return Panache.withSession(() -> find(id)).map(this::target)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(target -> {
                    long started = System.nanoTime();
                    try {
                        PlatformAnswer answer = delivery.call(target, "test", 0, () -> connectors.of(target.kind()).test(target));
                        return new ConnectionTest(true, "OK", answer.httpStatus(), answer.platformCode(), answer.requestId(),
                                "the platform accepted the credentials", millis(started));
                    } catch (DeliveryException e) {
                        PlatformAnswer answer = e.answer();
                        return new ConnectionTest(false, e.outcome(), answer == null ? null : answer.httpStatus(),
                                answer == null ? null : answer.platformCode(), answer == null ? null : answer.requestId(), e.getMessage(), millis(started));
                    }
                })
                .call(result -> result.ok() ? clearAttention(id)
                        : "AUTH_REFUSED".equals(result.outcome()) ? needsAttention(id, result.message()) : Uni.createFrom().voidItem())
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    /** The destination as a call needs it, with its credentials opened. */
    public Target target(Destination destination) {
        return new Target(destination.id, destination.kind, Map.copyOf(destination.settings), open(destination), null, null, null);
    }

    /** Marks the destination as refused by its platform: its syncs stop until the credentials change or a test passes. */
    public Uni<Void> needsAttention(UUID id, String why) {
        Log.warnf("Destination %s needs attention: %s", id, why);
        return pool.preparedQuery("UPDATE export.destinations SET status = 'NEEDS_ATTENTION', attention = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, why.length() > 1000 ? why.substring(0, 1000) : why)).replaceWithVoid();
    }

    private Uni<Void> clearAttention(UUID id) {
        return pool.preparedQuery("UPDATE export.destinations SET status = 'ACTIVE', attention = NULL, updated_at = now() "
                + "WHERE id = $1 AND status = 'NEEDS_ATTENTION'").execute(Tuple.of(id)).replaceWithVoid();
    }

    static Uni<Destination> find(UUID id) {
        return Destination.<Destination>findById(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("There is no destination " + id));
    }

    private DestinationView view(Destination destination, String generatedSecret) {
        return new DestinationView(destination.id, destination.name, destination.kind, destination.settings,
                List.copyOf(open(destination).keySet()), destination.status, destination.attention, destination.createdAt,
                destination.updatedAt, generatedSecret);
    }

    private byte[] seal(UUID id, Map<String, String> credentials) {
        try {
            return vault.seal(id, json.writeValueAsBytes(credentials));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> open(Destination destination) {
        try {
            return json.readValue(vault.open(destination.id, destination.credentials), STRINGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(JsonNode name, boolean required, List<Violation> violations) {
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            if (required) {
                violations.add(new Violation("/name", "is required: text of 1 to " + MAX_NAME + " characters"));
            }
            return null;
        }
        String text = name.asText().strip();
        if (text.length() > MAX_NAME) {
            violations.add(new Violation("/name", "must be at most " + MAX_NAME + " characters"));
        }
        return text;
    }

    private static DestinationKind kind(JsonNode kind, List<Violation> violations) {
        DestinationKind found = kind != null && kind.isTextual() ? Arrays.stream(DestinationKind.values())
                .filter(k -> k.name().equals(TextKeys.code(kind.asText().strip()))).findFirst().orElse(null) : null;
        if (found == null) {
            violations.add(new Violation("/kind", "is required: one of " + Arrays.toString(DestinationKind.values())));
        }
        return found;
    }

    private Map<String, String> settings(DestinationKind kind, JsonNode node, List<Violation> violations) {
        Map<String, String> given = strings("/settings", node, kind.requiredSettings(), kind.optionalSettings(), violations);
        Map<String, String> settings = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            String field = "/settings/" + key;
            switch (key) {
                case "adAccountId" -> settings.put(key, digits(field, value.startsWith("act_") ? value.substring(4) : value, violations));
                case "operatingAccountId", "loginAccountId" -> settings.put(key, digits(field, value.replace("-", ""), violations));
                case "advertiserId", "pixelId", "conversionActionId" -> settings.put(key, digits(field, value, violations));
                case "operatingAccountType", "loginAccountType" -> {
                    String type = TextKeys.code(value);
                    if (!ACCOUNT_TYPES.contains(type)) {
                        violations.add(new Violation(field, "must be one of " + ACCOUNT_TYPES));
                    }
                    settings.put(key, type);
                }
                case "url" -> settings.put(key, webhookUrl(field, value, violations));
                default -> settings.put(key, value);
            }
        });
        return settings;
    }

    private Map<String, String> credentials(DestinationKind kind, JsonNode node, boolean required, List<Violation> violations) {
        if (node == null && !required) {
            return null;
        }
        Map<String, String> credentials = strings("/credentials", node, kind.requiredCredentials(), kind.optionalCredentials(), violations);
        if (kind == DestinationKind.GOOGLE) {
            boolean refresh = credentials.containsKey("refreshToken") || credentials.containsKey("clientId") || credentials.containsKey("clientSecret");
            if (refresh) {
                for (String key : List.of("refreshToken", "clientId", "clientSecret")) {
                    if (!credentials.containsKey(key)) {
                        violations.add(new Violation("/credentials/" + key, "is required with a refresh token (refreshToken, clientId and clientSecret)"));
                    }
                }
            } else if (!credentials.containsKey("accessToken")) {
                violations.add(new Violation("/credentials/accessToken", "is required, or refreshToken with clientId and clientSecret"));
            }
        }
        String secret = credentials.get("signingSecret");
        if (secret != null && WebhookConnector.secretKey(secret) == null) {
            violations.add(new Violation("/credentials/signingSecret",
                    "must be whsec_ followed by 24 to 64 bytes in base64 (leave it out and one is generated)"));
        }
        return credentials;
    }

    private static Map<String, String> strings(String field, JsonNode node, List<String> required, List<String> optional, List<Violation> violations) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            if (!required.isEmpty() || node != null) {
                violations.add(new Violation(field, "must be an object" + (required.isEmpty() ? "" : " with " + String.join(", ", required))));
            }
            return values;
        }
        node.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (!required.contains(key) && !optional.contains(key)) {
                List<String> allowed = new ArrayList<>(required);
                allowed.addAll(optional);
                violations.add(new Violation(field + "/" + key, "is not taken here; allowed: " + String.join(", ", allowed)));
            } else if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > MAX_VALUE) {
                violations.add(new Violation(field + "/" + key, "must be text of 1 to " + MAX_VALUE + " characters"));
            } else {
                values.put(key, value.asText().strip());
            }
        });
        for (String key : required) {
            if (!node.has(key)) {
                violations.add(new Violation(field + "/" + key, "is required"));
            }
        }
        return values;
    }

    private static String digits(String field, String value, List<Violation> violations) {
        if (!DIGITS.matcher(value).matches()) {
            violations.add(new Violation(field, "must be the numeric id (digits only)"));
        }
        return value;
    }

    private String webhookUrl(String field, String value, List<Violation> violations) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : TextKeys.lower(uri.getScheme());
            boolean local = config.platforms().webhookHttpHosts().contains(uri.getHost());
            if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null
                    || !(scheme.equals("https") || (scheme.equals("http") && local))) {
                violations.add(new Violation(field, "must be an https:// URL without user info (http:// only to "
                        + config.platforms().webhookHttpHosts() + ")"));
            } else if (value.length() > 2000) {
                violations.add(new Violation(field, "must be at most 2000 characters"));
            }
        } catch (java.net.URISyntaxException e) {
            violations.add(new Violation(field, "is not a URL"));
        }
        return value;
    }

    private static boolean nameTaken(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause.getMessage() != null && cause.getMessage().contains("destinations_name_idx")) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    private static ProblemException taken(String name) {
        return new ProblemException(Status.CONFLICT, "destination-name-taken", "A destination named \"" + name + "\" exists already (names are "
                + "unique, ignoring case)", List.of(new Violation("/name", "is taken")));
    }

    private static long millis(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
