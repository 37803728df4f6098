package dev.cdp.ingestion.keys;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A write key managed over the API. Only the key's hash is kept; the key is shown once, when it is made. */
@Entity
@Table(name = "write_keys", schema = "ingestion")
public class WriteKey extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public String source;

    /** Hex SHA-256 of the key. */
    public String keyHash;

    /** {@code wk_AbCd…wXyZ}: enough to tell keys apart, never enough to use one. */
    public String keyHint;

    /** Space-separated origins a browser page may send from with this key; empty: those of its source. */
    public String allowedOrigins = "";

    /** Messages per second this key may send, per ingestion-service replica. */
    public int ratePerSecond;

    public Instant createdAt;

    public String createdBy;

    public Instant updatedAt;

    /** Set by a rotation: the key works until then. */
    public Instant expiresAt;

    public Instant revokedAt;

    /** The key that replaced this one in a rotation. */
    public UUID replacedBy;

    @Version
    public int version;

    boolean usableAt(Instant time) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(time));
    }
}
