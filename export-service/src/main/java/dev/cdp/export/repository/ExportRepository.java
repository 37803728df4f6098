package dev.cdp.export.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.export.domain.ConsentBasis;
import dev.cdp.export.domain.ExportJob;
import dev.cdp.export.domain.ExportJob.ExportFile;
import dev.cdp.export.domain.ExportJob.Progress;
import dev.cdp.export.domain.ExportJob.Status;
import dev.cdp.export.platform.Normalization;
import dev.cdp.export.platform.Platform;
import dev.cdp.export.segment.SegmentClient.SegmentInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Export jobs in the {@code export} schema: their lifecycle, counters and files. */
@ApplicationScoped
public class ExportRepository {

    private static final String COLUMNS = """
            id, segment_id, segment_name, segment_version, segment_evaluated_at, platform, delivery, status, requested_by,
            normalizer_version, created_at, started_at, finished_at, rows_read, rows_written, skipped_no_consent,
            skipped_no_identifier, invalid_phones, coverage::text AS coverage, file_name, file_size, expires_at, file_deleted_at, rows_erased, error""";
    private static final TypeReference<Map<String, Long>> COVERAGE = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    public ExportRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** A new QUEUED job for the segment as it is now. */
    public Uni<ExportJob> create(SegmentInfo segment, Platform platform, String delivery, String requestedBy) {
        return pool.preparedQuery("""
                INSERT INTO export.jobs (segment_id, segment_name, segment_version, segment_evaluated_at, platform, delivery, requested_by,
                                         normalizer_version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] {segment.id(), segment.name(), segment.version(), time(segment.lastEvaluatedAt()),
                        platform.name(), delivery, requestedBy, Normalization.NORMALIZER_VERSION}))
                .map(rows -> job(rows.iterator().next()));
    }

    public Uni<Optional<ExportJob>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM export.jobs WHERE id = $1").execute(Tuple.of(id)).map(this::first);
    }

    /** Jobs newest first, optionally of one segment or in one status, after the job {@code before} (a cursor). */
    public Uni<List<ExportJob>> list(UUID segmentId, Status status, UUID before, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                 FROM export.jobs j
                WHERE ($1::uuid IS NULL OR j.segment_id = $1) AND ($2::text IS NULL OR j.status = $2)
                  AND ($3::uuid IS NULL OR (j.created_at, j.id) < (SELECT b.created_at, b.id FROM export.jobs b WHERE b.id = $3))
                ORDER BY j.created_at DESC, j.id DESC LIMIT $4""")
                .execute(Tuple.of(segmentId, status == null ? null : status.name(), before, limit)).map(this::jobs);
    }

    /** Takes the oldest QUEUED job for this runner, RUNNING from now on; jobs other replicas take are skipped. */
    public Uni<Optional<ExportJob>> claimNext() {
        return pool.preparedQuery("""
                UPDATE export.jobs SET status = 'RUNNING', started_at = now(), heartbeat_at = now()
                WHERE id = (SELECT id FROM export.jobs WHERE status = 'QUEUED' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING\s""" + COLUMNS).execute().map(this::first);
    }

    /** Stores the counters so far and says the runner is alive. */
    public Uni<Void> progress(UUID id, Progress progress) {
        return pool.preparedQuery("""
                UPDATE export.jobs SET heartbeat_at = now(), rows_read = $2, rows_written = $3, skipped_no_consent = $4,
                    skipped_no_identifier = $5, invalid_phones = $6, coverage = $7::text::jsonb
                WHERE id = $1 AND status = 'RUNNING'""").execute(counters(id, progress)).replaceWithVoid();
    }

    /** Marks a RUNNING job SUCCEEDED with its final counts and file; false if it was no longer RUNNING. */
    public Uni<Boolean> succeed(UUID id, Progress progress, String fileName, long fileSize, Instant expiresAt) {
        return pool.preparedQuery("""
                UPDATE export.jobs SET status = 'SUCCEEDED', finished_at = now(), heartbeat_at = now(), rows_read = $2, rows_written = $3,
                    skipped_no_consent = $4, skipped_no_identifier = $5, invalid_phones = $6, coverage = $7::text::jsonb,
                    file_name = $8, file_size = $9, expires_at = $10
                WHERE id = $1 AND status = 'RUNNING'""")
                .execute(counters(id, progress).addString(fileName).addLong(fileSize).addOffsetDateTime(time(expiresAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks a job FAILED with the counts it reached and why. */
    public Uni<Void> fail(UUID id, Progress progress, String error) {
        return pool.preparedQuery("""
                UPDATE export.jobs SET status = 'FAILED', finished_at = now(), rows_read = $2, rows_written = $3, skipped_no_consent = $4,
                    skipped_no_identifier = $5, invalid_phones = $6, coverage = $7::text::jsonb, error = $8
                WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')""").execute(counters(id, progress).addString(error)).replaceWithVoid();
    }

    /** Fails the RUNNING jobs whose runner has been silent for longer than {@code silence}; answers their ids. */
    public Uni<List<UUID>> failAbandoned(Duration silence) {
        return pool.preparedQuery("""
                UPDATE export.jobs SET status = 'FAILED', finished_at = now(),
                    error = 'interrupted: the export-service instance running it stopped (restart or crash); start a new export'
                WHERE status = 'RUNNING' AND heartbeat_at < now() - $1::bigint * interval '1 millisecond' RETURNING id""")
                .execute(Tuple.of(silence.toMillis())).map(ExportRepository::ids);
    }

    /** Jobs whose file is past its retention and not deleted yet. */
    public Uni<List<UUID>> expiredFiles() {
        return pool.preparedQuery("SELECT id FROM export.jobs WHERE expires_at < now() AND file_deleted_at IS NULL ORDER BY expires_at LIMIT 1000")
                .execute().map(ExportRepository::ids);
    }

    public Uni<Void> fileDeleted(UUID id) {
        return pool.preparedQuery("UPDATE export.jobs SET file_deleted_at = now() WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Jobs whose finished file is kept, to look for erased customers in. */
    public Uni<List<UUID>> keptFiles() {
        return pool.preparedQuery("SELECT id FROM export.jobs WHERE status = 'SUCCEEDED' AND file_deleted_at IS NULL ORDER BY created_at")
                .execute().map(ExportRepository::ids);
    }

    /** Whether a job that may still write a file started before {@code time} (its file could hold erased customers). */
    public Uni<Boolean> runningSince(Instant time) {
        return pool.preparedQuery("SELECT 1 FROM export.jobs WHERE status = 'RUNNING' AND started_at <= $1 LIMIT 1")
                .execute(Tuple.of(time(time))).map(rows -> rows.size() > 0);
    }

    /** An erasure took {@code rows} out of the job's file, now {@code size} bytes. */
    public Uni<Void> rowsErased(UUID id, long rows, long size) {
        return pool.preparedQuery("""
                UPDATE export.jobs SET rows_written = rows_written - $2, rows_erased = rows_erased + $2, file_size = $3 WHERE id = $1""")
                .execute(Tuple.of(id, rows, size)).replaceWithVoid();
    }

    private Tuple counters(UUID id, Progress progress) {
        try {
            return Tuple.from(new Object[] {id, progress.rowsRead(), progress.rowsWritten(), progress.skippedNoConsent(),
                    progress.skippedNoIdentifier(), progress.invalidPhones(), json.writeValueAsString(progress.coverage())});
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<ExportJob> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    private List<ExportJob> jobs(RowSet<Row> rows) {
        List<ExportJob> jobs = new ArrayList<>();
        rows.forEach(row -> jobs.add(job(row)));
        return jobs;
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID("id")));
        return ids;
    }

    private ExportJob job(Row row) {
        try {
            UUID id = row.getUUID("id");
            Progress progress = new Progress(row.getLong("rows_read"), row.getLong("rows_written"), row.getLong("skipped_no_consent"),
                    row.getLong("skipped_no_identifier"), row.getLong("invalid_phones"), json.readValue(row.getString("coverage"), COVERAGE));
            String fileName = row.getString("file_name");
            ExportFile file = fileName == null ? null
                    : new ExportFile(fileName, row.getLong("file_size"), instant(row, "expires_at"), row.getValue("file_deleted_at") != null,
                            row.getLong("rows_erased"), "/exports/" + id + "/file");
            return new ExportJob(id, row.getUUID("segment_id"), row.getString("segment_name"), row.getInteger("segment_version"),
                    instant(row, "segment_evaluated_at"), Platform.valueOf(row.getString("platform")), row.getString("delivery"),
                    Status.valueOf(row.getString("status")), row.getString("requested_by"), row.getString("normalizer_version"),
                    instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"), progress, file,
                    ConsentBasis.advertisingAsOf(instant(row, "started_at")), row.getString("error"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
