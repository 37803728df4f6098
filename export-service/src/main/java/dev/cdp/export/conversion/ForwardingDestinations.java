package dev.cdp.export.conversion;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.export.destination.DestinationKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The destinations forwarding conversions now, read for every batch of stored events, so a change of rules applies
 * to the next event on every replica. Rules are parsed once per version.
 */
@ApplicationScoped
public class ForwardingDestinations {

    /** One destination that forwards, as its settings stand. */
    public record Forwarding(UUID destinationId, DestinationKind kind, Map<String, String> settings, Instant enabledAt,
            String testEventCode, List<ConversionRule> rules, boolean needsAttention) {
    }

    private record Parsed(int version, List<ConversionRule> rules) {
    }

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;
    private final Map<UUID, Parsed> parsed = new ConcurrentHashMap<>();

    public ForwardingDestinations(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<List<Forwarding>> enabled() {
        return pool.query("""
                SELECT s.destination_id, s.enabled_at, s.test_event_code, s.rules, s.version, d.kind, d.settings::text AS settings,
                       d.status
                FROM export.conversion_settings s JOIN export.destinations d ON d.id = s.destination_id
                WHERE s.enabled""").execute().map(rows -> {
                    List<Forwarding> enabled = new ArrayList<>();
                    for (Row row : rows) {
                        enabled.add(forwarding(row));
                    }
                    return enabled;
                });
    }

    private Forwarding forwarding(Row row) {
        UUID id = row.getUUID("destination_id");
        DestinationKind kind = DestinationKind.valueOf(row.getString("kind"));
        int version = row.getInteger("version");
        Parsed rules = parsed.get(id);
        if (rules == null || rules.version() != version) {
            rules = new Parsed(version, rules(row.getString("rules"), kind));
            parsed.put(id, rules);
        }
        try {
            return new Forwarding(id, kind, json.readValue(row.getString("settings"), STRINGS), row.getOffsetDateTime("enabled_at").toInstant(),
                    row.getString("test_event_code"), rules.rules(), "NEEDS_ATTENTION".equals(row.getString("status")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stored rules were checked when they were set; null means the platform's defaults. */
    List<ConversionRule> rules(String stored, DestinationKind kind) {
        if (stored == null) {
            return ConversionRules.defaults(kind);
        }
        try {
            List<dev.cdp.problem.Violation> violations = new ArrayList<>();
            List<ConversionRule> rules = ConversionRules.parse(json.readTree(stored), kind, "/rules", violations);
            if (!violations.isEmpty()) {
                throw new IllegalStateException("stored conversion rules do not parse: " + violations);
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
