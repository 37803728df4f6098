package dev.cdp.export.destination;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A connection to an ad account or a webhook endpoint. Never serialized as it is: see {@link DestinationView}. */
@Entity
@Table(name = "destinations", schema = "export")
public class Destination extends PanacheEntityBase {

    public enum Status {
        ACTIVE,
        /** The platform refused the credentials: the destination's syncs wait until they are replaced or a test passes. */
        NEEDS_ATTENTION
    }

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    public DestinationKind kind;

    /** Not secret: account ids, the webhook URL. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> settings = new LinkedHashMap<>();

    /** The credentials, sealed by {@link CredentialVault}. */
    @Column(columnDefinition = "bytea")
    public byte[] credentials;

    @Enumerated(EnumType.STRING)
    public Status status = Status.ACTIVE;

    /** Why it needs attention, as the platform said it. */
    public String attention;

    public Instant createdAt;

    public Instant updatedAt;

    @Version
    public int version;
}
