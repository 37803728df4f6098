package dev.cdp.profile.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.RawEvent;
import dev.cdp.profile.domain.Interaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Digital interactions (track calls) per customer. */
@ApplicationScoped
public class InteractionRepository {

    private final Pool pool;
    private final ObjectMapper json;

    public InteractionRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<Void> insert(SqlConnection connection, UUID customerId, long rawEventId, RawEvent event) {
        JsonNode properties = event.payload().path("properties");
        return connection.preparedQuery("""
                INSERT INTO profile.interactions (customer_id, raw_event_id, event_name, properties, source, occurred_at)
                VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)""")
                .execute(Tuple.tuple()
                        .addUUID(customerId)
                        .addLong(rawEventId)
                        .addString(event.payload().path("event").asText())
                        .addString(properties.isObject() ? properties.toString() : "{}")
                        .addString(event.source())
                        .addOffsetDateTime(event.occurredAt().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The customer's most recent interactions, newest first. */
    public Uni<List<Interaction>> latest(UUID customerId, int limit) {
        return pool.preparedQuery("""
                SELECT r.message_id, i.event_name, i.properties::text AS properties, i.source, i.occurred_at, r.received_at
                FROM profile.interactions i
                JOIN profile.raw_events r ON r.id = i.raw_event_id
                WHERE i.customer_id = $1
                ORDER BY i.occurred_at DESC, i.id DESC
                LIMIT $2""")
                .execute(Tuple.of(customerId, limit))
                .map(rows -> {
                    List<Interaction> interactions = new ArrayList<>(rows.size());
                    rows.forEach(row -> interactions.add(toInteraction(row)));
                    return interactions;
                });
    }

    private Interaction toInteraction(Row row) {
        try {
            return new Interaction(row.getString("message_id"), row.getString("event_name"),
                    json.readTree(row.getString("properties")), row.getString("source"),
                    row.getOffsetDateTime("occurred_at").toInstant(), row.getOffsetDateTime("received_at").toInstant());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
