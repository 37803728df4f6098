package dev.cdp.export.sync;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One run of a sync: what it sent, what the platform said, how long it took. Counts and the platform's samples only; shown as {@link RunView}. */
@Entity
@Table(name = "sync_runs", schema = "export")
public class SyncRun extends PanacheEntityBase {

    public enum Kind {
        /** The whole audience: the first run, or a resync asked for. */
        FULL,
        /** Only the customers whose membership, consent or identifiers changed since the last run. */
        INCREMENTAL
    }

    public enum Status {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        /** Finished, but some rows failed (see rowsFailed and the error). */
        PARTIAL,
        FAILED
    }

    @Id
    public UUID id;

    public UUID syncId;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    /** What started it: ON_CHANGE, INTERVAL, MANUAL, RESYNC. */
    public String trigger;

    @Enumerated(EnumType.STRING)
    public Status status;

    public Instant createdAt;

    public Instant startedAt;

    public Instant finishedAt;

    public Instant heartbeatAt;

    public long membersRead;

    public long rowsAdded;

    public long rowsRemoved;

    public long rowsFailed;

    public long skippedNoConsent;

    public long skippedNoIdentifier;

    public long unconfirmedAdds;

    public long platformReceived;

    public long platformInvalid;

    @Convert(converter = JsonColumns.StringsConverter.class)
    public List<String> invalidSamples = new ArrayList<>();

    @Convert(converter = JsonColumns.StringsConverter.class)
    public List<String> requestIds = new ArrayList<>();

    /** Per identifier, how many sent rows carry it. */
    @Convert(converter = JsonColumns.CountsConverter.class)
    public Map<String, Long> coverage = new LinkedHashMap<>();

    public UUID resumeAfter;

    public Long sessionId;

    public int batchesSent;

    public String error;

    /** How long it ran, in milliseconds; null until it finished. */
    public Long durationMs() {
        return startedAt == null || finishedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
