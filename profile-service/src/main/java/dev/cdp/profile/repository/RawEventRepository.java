package dev.cdp.profile.repository;

import dev.cdp.events.RawEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;

/** The bronze layer: messages as received. */
@ApplicationScoped
public class RawEventRepository {

    /**
     * Stores the message unless its (source, messageId) was stored before. The item is the new row's id, or null for
     * a duplicate.
     */
    public Uni<Long> insertIfNew(SqlConnection connection, RawEvent event) {
        return connection.preparedQuery("""
                INSERT INTO profile.raw_events
                    (source, message_id, type, user_id, anonymous_id, occurred_at, received_at, payload)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)
                ON CONFLICT (source, message_id) DO NOTHING
                RETURNING id""")
                .execute(Tuple.tuple()
                        .addString(event.source())
                        .addString(event.messageId())
                        .addString(event.type())
                        .addString(event.userId())
                        .addString(event.anonymousId())
                        .addOffsetDateTime(event.occurredAt().atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(event.receivedAt().atOffset(ZoneOffset.UTC))
                        // Bound as text and cast in SQL, so numbers keep their exact digits.
                        .addString(event.payload().toString()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("id") : null);
    }
}
