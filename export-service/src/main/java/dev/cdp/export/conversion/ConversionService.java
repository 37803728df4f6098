package dev.cdp.export.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.export.conversion.ConversionQueue.Count;
import dev.cdp.export.delivery.ConversionConnector;
import dev.cdp.export.destination.Destination;
import dev.cdp.export.rest.RequestBodies;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A destination's conversion forwarding: set, shown with what happened so far, and its dead letters. */
@ApplicationScoped
public class ConversionService {

    static final int MAX_TEST_CODE = 100;
    private static final List<String> PROPERTIES = List.of("enabled", "testEventCode", "rules");
    private static final String OBJECT = " with enabled, and optionally testEventCode and rules (null: the platform's defaults)";

    /** One event that could not be delivered, and why. */
    public record DeadLetter(long id, String messageId, String platformEvent, UUID customerId, Instant occurredAt, int attempts,
            String reason, Instant failedAt) {
    }

    private final ConversionConnectors connectors;
    private final ConversionQueue queue;
    private final ForwardingDestinations destinations;
    private final ObjectMapper json;
    private final Pool pool;

    public ConversionService(ConversionConnectors connectors, ConversionQueue queue, ForwardingDestinations destinations, ObjectMapper json,
            Pool pool) {
        this.connectors = connectors;
        this.queue = queue;
        this.destinations = destinations;
        this.json = json;
        this.pool = pool;
    }

    public Uni<ConversionView> get(UUID destinationId) {
        return Panache.withSession(() -> destination(destinationId)
                .chain(destination -> ConversionSettings.<ConversionSettings>findById(destinationId)
                        .map(settings -> settings == null ? unset(destination) : settings)
                        .chain(settings -> view(destination, settings))));
    }

    /** Sets it whole: {@code enabled}, {@code testEventCode}, {@code rules} (absent or null: the platform's defaults). */
    public Uni<ConversionView> put(UUID destinationId, JsonNode body) {
        RequestBodies.requireObject(body, OBJECT);
        return Panache.withTransaction(() -> destination(destinationId).chain(destination -> {
            List<Violation> violations = new ArrayList<>();
            RequestBodies.allowOnly(body, PROPERTIES, "is not a property of conversion forwarding", violations);
            ConversionConnector connector = connectors.of(destination.kind);
            if (connector == null) {
                throw ProblemException.invalid(List.of(new Violation("", "a " + destination.kind
                        + " destination does not take conversions: use a META, TIKTOK or GOOGLE destination")));
            }
            JsonNode enabledNode = body.get("enabled");
            if (enabledNode == null || !enabledNode.isBoolean()) {
                violations.add(new Violation("/enabled", "is required: true or false"));
            }
            boolean enabled = enabledNode != null && enabledNode.asBoolean();
            if (enabled && destination.settings.get(connector.spec().eventSetting()) == null) {
                violations.add(new Violation("/enabled", "needs the destination's settings." + connector.spec().eventSetting()
                        + " (where the events go): set it on the destination first"));
            }
            JsonNode code = body.get("testEventCode");
            if (code != null && !code.isNull() && (!code.isTextual() || code.asText().isBlank() || code.asText().length() > MAX_TEST_CODE)) {
                violations.add(new Violation("/testEventCode", "must be text of 1 to " + MAX_TEST_CODE + " characters, or null"));
            }
            JsonNode rulesNode = body.get("rules");
            boolean customRules = rulesNode != null && !rulesNode.isNull();
            if (customRules) {
                ConversionRules.parse(rulesNode, destination.kind, "/rules", violations);
            }
            if (!violations.isEmpty()) {
                throw ProblemException.invalid(violations);
            }
            return ConversionSettings.<ConversionSettings>findById(destinationId).chain(found -> {
                ConversionSettings settings = found != null ? found : unset(destination);
                Instant now = Instant.now();
                if (enabled && !settings.enabled) {
                    settings.enabledAt = now;
                }
                settings.enabled = enabled;
                settings.testEventCode = code == null || code.isNull() ? null : code.asText().strip();
                settings.rules = customRules ? rulesNode.toString() : null;
                settings.updatedAt = now;
                Log.infof("Conversion forwarding of destination %s %s", destinationId, enabled ? "enabled" : "disabled");
                return (found != null ? Uni.createFrom().item(settings) : settings.<ConversionSettings>persist())
                        .chain(saved -> view(destination, saved));
            });
        }));
    }

    public Uni<List<DeadLetter>> deadLetters(UUID destinationId, int limit, Long before) {
        return Panache.withSession(() -> destination(destinationId)).chain(destination -> pool.preparedQuery("""
                SELECT id, message_id, platform_event, customer_id, occurred_at, attempts, reason, failed_at
                FROM export.conversion_dead_letters WHERE destination_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3""")
                .execute(Tuple.of(destinationId, before == null ? Long.MAX_VALUE : before, limit))
                .map(rows -> {
                    List<DeadLetter> letters = new ArrayList<>();
                    for (Row row : rows) {
                        letters.add(new DeadLetter(row.getLong("id"), row.getString("message_id"), row.getString("platform_event"),
                                row.getUUID("customer_id"), row.getOffsetDateTime("occurred_at").toInstant(), row.getInteger("attempts"),
                                row.getString("reason"), row.getOffsetDateTime("failed_at").toInstant()));
                    }
                    return letters;
                }));
    }

    private Uni<ConversionView> view(Destination destination, ConversionSettings settings) {
        ConversionConnector connector = connectors.of(destination.kind);
        List<ConversionRule> rules = destinations.rules(settings.rules, destination.kind);
        return queue.counts(destination.id).chain(counts -> queue.backlog().map(backlog -> {
            long sent = 0;
            long failed = 0;
            Map<String, Long> dropped = new LinkedHashMap<>();
            for (Count count : counts) {
                switch (count.outcome()) {
                    case ConversionQueue.SENT -> sent += count.count();
                    case ConversionQueue.FAILED -> failed += count.count();
                    default -> dropped.merge(count.reason(), count.count(), Long::sum);
                }
            }
            double[] waiting = backlog.getOrDefault(destination.id, new double[] {0, 0});
            return new ConversionView(destination.id, settings.enabled, settings.enabledAt,
                    connector == null ? null : destination.settings.get(connector.spec().eventSetting()), settings.testEventCode, settings.rules == null,
                    rules, new ConversionView.Stats(sent, failed, dropped, (long) waiting[0], waiting[1]), settings.updatedAt);
        }));
    }

    private static ConversionSettings unset(Destination destination) {
        ConversionSettings settings = new ConversionSettings();
        settings.destinationId = destination.id;
        settings.enabled = false;
        settings.createdAt = Instant.now();
        settings.updatedAt = settings.createdAt;
        return settings;
    }

    private static Uni<Destination> destination(UUID id) {
        return Destination.<Destination>findById(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("There is no destination " + id));
    }
}
