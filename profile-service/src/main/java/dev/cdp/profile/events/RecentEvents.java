package dev.cdp.profile.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The newest messages bronze holds, newest first: what the live event debugger shows. */
@ApplicationScoped
public class RecentEvents {

    /**
     * How far back from the newest row a query looks: the debugger shows what just arrived, and the bound keeps a
     * rare source's query from scanning all of bronze.
     */
    static final long WINDOW = 50_000;

    private final Pool pool;
    private final ObjectMapper json;

    public RecentEvents(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Up to {@code limit} messages stored after row {@code after} (0: any), of {@code source} (null: every source). */
    public Uni<List<StoredEvent>> after(long after, String source, int limit) {
        return pool.preparedQuery("""
                SELECT id, source, message_id, type, user_id, anonymous_id, occurred_at, received_at, stored_at, payload
                FROM profile.raw_events
                WHERE id > greatest($1, (SELECT coalesce(max(id), 0) FROM profile.raw_events) - $2)
                  AND ($3::text IS NULL OR source = $3)
                ORDER BY id DESC LIMIT $4""")
                .execute(Tuple.of(after, WINDOW, source, limit))
                .map(rows -> {
                    List<StoredEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(event(row));
                    }
                    return events;
                });
    }

    private StoredEvent event(Row row) {
        // Bronze holds the record as the intake published it: the message the client sent is its payload.
        JsonNode record = read(row.getString("payload"));
        JsonNode payload = record.has("payload") ? record.get("payload") : record;
        String type = row.getString("type");
        String event = "track".equals(type) ? payload.path("event").asText(null) : payload.path("name").asText(null);
        return new StoredEvent(row.getLong("id"), row.getString("source"), row.getString("message_id"), type, event,
                row.getString("user_id"), row.getString("anonymous_id"), instant(row.getOffsetDateTime("occurred_at")),
                instant(row.getOffsetDateTime("received_at")), instant(row.getOffsetDateTime("stored_at")), payload);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception unreadable) { // bronze keeps what was sent; the intake only forwards JSON objects
            ObjectNode kept = json.createObjectNode();
            kept.put("unreadable", true);
            return kept;
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
