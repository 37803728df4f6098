package dev.cdp.export.sync;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A segment kept matched in one destination. */
@Entity
@Table(name = "syncs", schema = "export")
public class Sync extends PanacheEntityBase {

    public enum Mode {
        /** Members who enter are added, members who leave are removed. */
        MIRROR,
        /** Members who enter are added; leaving the segment removes nobody (a withdrawn consent still does). */
        ADD_ONLY
    }

    public enum Trigger {
        /** Within seconds of a membership change, batched with the changes around it. */
        ON_CHANGE,
        /** Every {@code intervalMinutes}. */
        INTERVAL,
        /** Only when asked over HTTP. */
        MANUAL
    }

    @Id
    public UUID id;

    public UUID segmentId;

    public UUID destinationId;

    @Enumerated(EnumType.STRING)
    public Mode mode;

    /** Identifier names ({@link dev.cdp.export.platform.Identifier}) sent to the platform. */
    @Convert(converter = JsonColumns.StringsConverter.class)
    public List<String> identifiers = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    public Trigger trigger;

    public Integer intervalMinutes;

    public boolean enabled = true;

    public String audienceName;

    public String platformAudienceId;

    /** When the first full upload succeeded; runs send differences from then on. */
    public Instant fullUploadAt;

    public Instant nextRunAt;

    public Instant createdAt;

    public Instant updatedAt;

    @Version
    public int version;
}
