package dev.cdp.profile.repository;

import dev.cdp.profile.domain.Customer;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Customers and the identifiers they are known by. */
@ApplicationScoped
public class CustomerRepository {

    private static final String SELECT_CUSTOMER = """
            SELECT c.customer_id, c.created_at, c.updated_at, i.id_type, i.id_value
            FROM profile.customers c
            LEFT JOIN profile.identities i ON i.customer_id = c.customer_id
            """;
    private static final String IDENTITY_ORDER = " ORDER BY i.first_seen_at, i.id_type, i.id_value";

    private final Pool pool;

    public CustomerRepository(Pool pool) {
        this.pool = pool;
    }

    /** The customer known by {@code identity}, created with that identity when there is none yet. */
    public Uni<UUID> findOrCreate(SqlConnection connection, Identity identity) {
        return connection.preparedQuery("""
                WITH found AS (
                    SELECT customer_id FROM profile.identities WHERE id_type = $1 AND id_value = $2
                ), created AS (
                    INSERT INTO profile.customers (customer_id)
                    SELECT gen_random_uuid() WHERE NOT EXISTS (SELECT 1 FROM found)
                    RETURNING customer_id
                ), linked AS (
                    INSERT INTO profile.identities (id_type, id_value, customer_id)
                    SELECT $1, $2, customer_id FROM created
                    RETURNING customer_id
                )
                SELECT customer_id FROM found UNION ALL SELECT customer_id FROM linked""")
                .execute(Tuple.of(identity.type().name(), identity.value()))
                .map(rows -> rows.iterator().next().getUUID("customer_id"));
    }

    /** Adds an identifier to a customer; one that already belongs to someone is left where it is. */
    public Uni<Void> link(SqlConnection connection, UUID customerId, Identity identity) {
        return connection.preparedQuery("""
                INSERT INTO profile.identities (id_type, id_value, customer_id) VALUES ($1, $2, $3)
                ON CONFLICT (id_type, id_value) DO NOTHING""")
                .execute(Tuple.of(identity.type().name(), identity.value(), customerId))
                .replaceWithVoid();
    }

    public Uni<Void> touch(SqlConnection connection, UUID customerId) {
        return connection.preparedQuery("UPDATE profile.customers SET updated_at = now() WHERE customer_id = $1")
                .execute(Tuple.of(customerId))
                .replaceWithVoid();
    }

    /** The customer, or null when there is none with that id. */
    public Uni<Customer> findById(UUID customerId) {
        return pool.preparedQuery(SELECT_CUSTOMER + " WHERE c.customer_id = $1" + IDENTITY_ORDER)
                .execute(Tuple.of(customerId))
                .map(CustomerRepository::toCustomer);
    }

    /** The customer known by {@code identity}, or null. */
    public Uni<Customer> findByIdentity(Identity identity) {
        return pool.preparedQuery(SELECT_CUSTOMER + """
                 WHERE c.customer_id = (SELECT customer_id FROM profile.identities WHERE id_type = $1 AND id_value = $2)
                """ + IDENTITY_ORDER)
                .execute(Tuple.of(identity.type().name(), identity.value()))
                .map(CustomerRepository::toCustomer);
    }

    private static Customer toCustomer(RowSet<Row> rows) {
        Row first = null;
        List<Identity> identities = new ArrayList<>();
        for (Row row : rows) {
            if (first == null) {
                first = row;
            }
            if (row.getString("id_type") != null) {
                identities.add(new Identity(IdentityType.valueOf(row.getString("id_type")), row.getString("id_value")));
            }
        }
        if (first == null) {
            return null;
        }
        return new Customer(first.getUUID("customer_id"), List.copyOf(identities),
                first.getOffsetDateTime("created_at").toInstant(), first.getOffsetDateTime("updated_at").toInstant());
    }
}
