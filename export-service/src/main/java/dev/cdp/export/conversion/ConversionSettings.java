package dev.cdp.export.conversion;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** Whether and how a destination receives conversions. Shown as {@link ConversionView}. */
@Entity
@Table(name = "conversion_settings", schema = "export")
public class ConversionSettings extends PanacheEntityBase {

    @Id
    public UUID destinationId;

    public boolean enabled;

    /** Events the intake accepted before this are not forwarded. */
    public Instant enabledAt;

    public String testEventCode;

    /** The rules as set (JSON text of an array), or null for the platform's defaults. */
    public String rules;

    public Instant createdAt;

    public Instant updatedAt;

    @Version
    public int version;
}
