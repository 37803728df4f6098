package dev.cdp.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cdp.problem.Page;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's audit log: table {@code audit_log} in its schema ({@code quarkus.flyway.schemas}), created by the
 * repeatable migration {@code db/audit/R__audit_log.sql} this library ships. Entries hold ids and parameter names,
 * never parameter values: a lookup by email is recorded as {@code email}, not as the address.
 */
@IfBuildProperty(name = "cdp.audit.enabled", stringValue = "true") // services with a database
@ApplicationScoped
public class AuditLog {

    /** One recorded call. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long id, Instant occurredAt, String actor, String roles, String method, String path,
            String queryParameters, int status, String remoteAddress, String forwardedFor) {
    }

    private final Pool pool;
    private final String table;

    public AuditLog(Pool pool, @ConfigProperty(name = "quarkus.flyway.schemas") String schema) {
        this.pool = pool;
        this.table = schema + ".audit_log";
    }

    Uni<Void> record(Entry entry) {
        return pool.preparedQuery("INSERT INTO " + table + " (actor, roles, method, path, query_parameters, status, "
                        + "remote_address, forwarded_for) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(entry.actor(), entry.roles(), entry.method(), entry.path(), entry.queryParameters(),
                        entry.status(), entry.remoteAddress(), entry.forwardedFor())))
                .replaceWithVoid();
    }

    /** Newest first; {@code before} is the cursor (an entry id), {@code actor} and {@code since} filter when given. */
    public Uni<Page<Entry>> list(String actor, Instant since, Long before, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (actor != null) {
            parameters.add(actor);
            where.append(" AND actor = $").append(parameters.size());
        }
        if (since != null) {
            parameters.add(since.atOffset(ZoneOffset.UTC));
            where.append(" AND occurred_at >= $").append(parameters.size());
        }
        if (before != null) {
            parameters.add(before);
            where.append(" AND id < $").append(parameters.size());
        }
        parameters.add(limit);
        return pool.preparedQuery("SELECT id, occurred_at, actor, roles, method, path, query_parameters, status, remote_address, "
                        + "forwarded_for FROM " + table + where + " ORDER BY id DESC LIMIT $" + parameters.size())
                .execute(Tuple.from(parameters))
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>();
                    for (Row row : rows) {
                        entries.add(new Entry(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(), row.getString("actor"),
                                row.getString("roles"), row.getString("method"), row.getString("path"), row.getString("query_parameters"),
                                row.getInteger("status"), row.getString("remote_address"), row.getString("forwarded_for")));
                    }
                    return new Page<>(entries, entries.size() < limit ? null : String.valueOf(entries.get(entries.size() - 1).id()));
                });
    }
}
