package dev.cdp.export.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.TextKeys;
import dev.cdp.export.destination.Destination;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.file.AudienceRows;
import dev.cdp.export.platform.Identifier;
import dev.cdp.export.rest.RequestBodies;
import dev.cdp.export.segment.SegmentClient;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Syncs checked and stored, their runs queued and read, their platform calls listed. */
@ApplicationScoped
public class SyncService {

    static final int MAX_AUDIENCE_NAME = 128;
    static final int MAX_AUDIENCE_ID = 100;
    private static final List<String> PROPERTIES = List.of("segmentId", "destinationId", "mode", "identifiers", "trigger", "intervalMinutes",
            "enabled", "audienceName", "platformAudienceId");
    private static final String NOT_SETTABLE = "is not a property that can be set here";
    private static final List<String> CHANGEABLE = List.of("mode", "identifiers", "trigger", "intervalMinutes", "enabled", "audienceName");

    /** One call to a platform and its outcome, as the audit keeps it. */
    public record Call(long id, Instant at, String operation, int rows, String outcome, Integer httpStatus, String platformCode,
            String requestId, int durationMs, String detail) {
    }

    private final SegmentClient segments;
    private final SyncRuns runs;
    private final SyncRunner runner;
    private final Pool pool;

    public SyncService(SegmentClient segments, SyncRuns runs, SyncRunner runner, Pool pool) {
        this.segments = segments;
        this.runs = runs;
        this.runner = runner;
        this.pool = pool;
    }

    /** Stores a sync; unless it is MANUAL, its first run (a full upload) is queued at once. */
    public Uni<SyncView> create(JsonNode body) {
        RequestBodies.requireObject(body, "");
        List<Violation> violations = new ArrayList<>();
        RequestBodies.allowOnly(body, PROPERTIES, NOT_SETTABLE, violations);
        UUID segmentId = RequestBodies.uuid(body, "segmentId", "is required: a UUID", violations);
        UUID destinationId = RequestBodies.uuid(body, "destinationId", "is required: a UUID", violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        // segment-service answers on the HTTP client's thread; Hibernate Reactive works on the request's context.
        return segments.segment(segmentId).emitOn(command -> context.runOnContext(ignored -> command.run()))
                .chain(segment -> Panache.withTransaction(() -> Destination.<Destination>findById(destinationId)
                .chain(destination -> {
                    if (segment.isEmpty()) {
                        violations.add(new Violation("/segmentId", "is not a segment segment-service knows"));
                    }
                    if (destination == null) {
                        violations.add(new Violation("/destinationId", "is not a destination"));
                    }
                    Sync sync = new Sync();
                    sync.id = UUID.randomUUID();
                    sync.segmentId = segmentId;
                    sync.destinationId = destinationId;
                    sync.mode = Sync.Mode.MIRROR;
                    sync.trigger = Sync.Trigger.ON_CHANGE;
                    sync.audienceName = segment.map(SegmentClient.SegmentInfo::name).orElse(null);
                    apply(sync, body, destination == null ? null : destination.kind, violations);
                    if (body.hasNonNull("platformAudienceId")) {
                        sync.platformAudienceId = text(body, "platformAudienceId", MAX_AUDIENCE_ID, violations);
                    } else if (destination != null && destination.kind == DestinationKind.GOOGLE) {
                        violations.add(new Violation("/platformAudienceId", "is required for Google: the id of the Customer Match user list "
                                + "(the Data Manager API does not create lists)"));
                    }
                    if (!violations.isEmpty()) {
                        throw ProblemException.invalid(violations);
                    }
                    sync.createdAt = Instant.now();
                    sync.updatedAt = sync.createdAt;
                    return sync.<Sync>persist();
                })))
                .onFailure(SyncService::taken).transform(e -> new ProblemException(Status.CONFLICT, "sync-exists",
                        "This segment is synced to this destination already; change that sync instead",
                        List.of(new Violation("/destinationId", "has a sync of this segment"))))
                .call(sync -> sync.enabled && sync.trigger != Sync.Trigger.MANUAL ? queue(sync.id, "CREATED", true) : Uni.createFrom().voidItem())
                .invoke(sync -> Log.infof("Sync %s created: segment %s to destination %s, %s, %s", sync.id, sync.segmentId, sync.destinationId,
                        sync.mode, sync.trigger))
                .map(SyncView::of);
    }

    /** Changes how a sync works; a change of identifiers makes its next run a full upload (the rows are new). */
    public Uni<SyncView> update(UUID id, JsonNode body) {
        RequestBodies.requireObject(body, "");
        return Panache.withTransaction(() -> find(id).chain(sync -> Destination.<Destination>findById(sync.destinationId).map(destination -> {
            List<Violation> violations = new ArrayList<>();
            RequestBodies.allowOnly(body, CHANGEABLE, NOT_SETTABLE, violations);
            List<String> identifiersBefore = List.copyOf(sync.identifiers);
            apply(sync, body, destination.kind, violations);
            if (!violations.isEmpty()) {
                throw ProblemException.invalid(violations);
            }
            if (!identifiersBefore.equals(sync.identifiers)) {
                sync.fullUploadAt = null;
            }
            if (sync.trigger != Sync.Trigger.INTERVAL) {
                sync.nextRunAt = null;
            }
            sync.updatedAt = Instant.now();
            return SyncView.of(sync);
        })));
    }

    public Uni<SyncView> get(UUID id) {
        return Panache.withSession(() -> find(id)).map(SyncView::of);
    }

    public Uni<List<SyncView>> list(UUID segmentId, UUID destinationId) {
        // Only the filters given: PostgreSQL cannot type a parameter that is only compared with null.
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (segmentId != null) {
            where.add("segmentId = :segment");
            parameters.and("segment", segmentId);
        }
        if (destinationId != null) {
            where.add("destinationId = :destination");
            parameters.and("destination", destinationId);
        }
        String query = (where.isEmpty() ? "" : "where " + String.join(" and ", where) + " ") + "order by createdAt";
        return Panache.withSession(() -> Sync.<Sync>find(query, parameters).list()).map(all -> all.stream().map(SyncView::of).toList());
    }

    /** Deletes a sync, its runs and its ledger; the platform audience stays as it is. */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> find(id).chain(sync -> SyncRun.count("syncId = ?1 and status = ?2", id, SyncRun.Status.RUNNING)
                .chain(running -> {
                    if (running > 0) {
                        throw new ProblemException(Status.CONFLICT, "sync-running",
                                "Sync " + id + " is running; disable it (PATCH enabled=false), wait for the run to end, then delete it");
                    }
                    return sync.delete();
                })));
    }

    /** Queues a run now: incremental, or a full upload when asked (or when none succeeded yet). */
    public Uni<RunView> runNow(UUID id, boolean full) {
        return Panache.withSession(() -> find(id)).chain(sync -> {
            if (!sync.enabled) {
                throw new ProblemException(Status.CONFLICT, "sync-disabled", "Sync " + id + " is disabled; enable it first");
            }
            return runs.enqueue(id, full ? "RESYNC" : "MANUAL", full);
        }).chain(queued -> {
            if (queued.isEmpty()) {
                return Panache.withSession(() -> SyncRun.<SyncRun>find("syncId = ?1 and status in (?2, ?3)", id, SyncRun.Status.QUEUED,
                        SyncRun.Status.RUNNING).firstResult()).map(active -> {
                            throw new ProblemException(Status.CONFLICT, "sync-run-active", "Sync " + id + " has a run "
                                    + (active == null ? "starting" : active.id + " " + active.status) + "; it runs one at a time");
                        });
            }
            runner.dispatch();
            return run(id, queued.get());
        });
    }

    public Uni<List<RunView>> runs(UUID syncId, int limit) {
        return Panache.withSession(() -> find(syncId).chain(sync -> SyncRun.<SyncRun>find("syncId = ?1 order by createdAt desc, id", syncId)
                .page(0, limit).list())).map(all -> all.stream().map(RunView::of).toList());
    }

    public Uni<RunView> run(UUID syncId, UUID runId) {
        return Panache.withSession(() -> SyncRun.<SyncRun>find("id = ?1 and syncId = ?2", runId, syncId).firstResult())
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Sync " + syncId + " has no run " + runId))
                .map(RunView::of);
    }

    /** Every platform call a run made, oldest first (retries included). */
    public Uni<List<Call>> calls(UUID syncId, UUID runId) {
        return run(syncId, runId).chain(run -> pool.preparedQuery("""
                SELECT id, at, operation, rows, outcome, http_status, platform_code, request_id, duration_ms, detail
                FROM export.delivery_audit WHERE run_id = $1 ORDER BY id LIMIT 10000""").execute(Tuple.of(runId)))
                .map(rows -> {
                    List<Call> calls = new ArrayList<>();
                    for (Row row : rows) {
                        OffsetDateTime at = row.getOffsetDateTime("at");
                        calls.add(new Call(row.getLong("id"), at.toInstant(), row.getString("operation"), row.getInteger("rows"),
                                row.getString("outcome"), row.getInteger("http_status"), row.getString("platform_code"), row.getString("request_id"),
                                row.getInteger("duration_ms"), row.getString("detail")));
                    }
                    return calls;
                });
    }

    private Uni<Void> queue(UUID syncId, String trigger, boolean full) {
        return runs.enqueue(syncId, trigger, full).invoke(queued -> runner.dispatch()).replaceWithVoid();
    }

    static Uni<Sync> find(UUID id) {
        return Sync.<Sync>findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("There is no sync " + id));
    }

    /** Reads the changeable properties present in the body into the sync, listing every problem. */
    private static void apply(Sync sync, JsonNode body, DestinationKind kind, List<Violation> violations) {
        if (body.hasNonNull("mode")) {
            sync.mode = constant(body, "mode", Sync.Mode.values(), violations, sync.mode);
        }
        if (body.hasNonNull("trigger")) {
            sync.trigger = constant(body, "trigger", Sync.Trigger.values(), violations, sync.trigger);
        }
        if (body.has("intervalMinutes")) {
            JsonNode minutes = body.get("intervalMinutes");
            if (minutes.isNull()) {
                sync.intervalMinutes = null;
            } else if (!minutes.canConvertToInt() || !minutes.isIntegralNumber() || minutes.asInt() < 1 || minutes.asInt() > 10080) {
                violations.add(new Violation("/intervalMinutes", "must be a whole number of minutes from 1 to 10080 (a week)"));
            } else {
                sync.intervalMinutes = minutes.asInt();
            }
        }
        if (sync.trigger == Sync.Trigger.INTERVAL && sync.intervalMinutes == null) {
            violations.add(new Violation("/intervalMinutes", "is required with trigger INTERVAL"));
        }
        if (sync.trigger != Sync.Trigger.INTERVAL) {
            sync.intervalMinutes = null;
        }
        if (body.has("enabled")) {
            if (!body.get("enabled").isBoolean()) {
                violations.add(new Violation("/enabled", "must be true or false"));
            } else {
                sync.enabled = body.get("enabled").asBoolean();
            }
        }
        if (body.hasNonNull("audienceName")) {
            sync.audienceName = text(body, "audienceName", MAX_AUDIENCE_NAME, violations);
        }
        if (kind != null) {
            Set<Identifier> supported = AudienceRows.of(kind.rows()).identifiers();
            if (body.hasNonNull("identifiers")) {
                sync.identifiers = identifiers(body.get("identifiers"), supported, violations);
            } else if (sync.identifiers.isEmpty()) {
                sync.identifiers = supported.stream().map(Identifier::name).toList();
            }
        }
    }

    private static List<String> identifiers(JsonNode node, Set<Identifier> supported, List<Violation> violations) {
        List<String> names = supported.stream().map(Identifier::name).toList();
        if (!node.isArray() || node.isEmpty() || node.size() > names.size()) {
            violations.add(new Violation("/identifiers", "must be a non-empty array of some of " + names));
            return List.of();
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String name = node.get(i).isTextual() ? TextKeys.code(node.get(i).asText().strip()) : "";
            if (!names.contains(name)) {
                violations.add(new Violation("/identifiers/" + i, "must be one of " + names + " (what this destination takes)"));
            } else {
                chosen.add(name);
            }
        }
        return names.stream().filter(chosen::contains).toList(); // in the platform's column order
    }

    private static <E extends Enum<E>> E constant(JsonNode body, String field, E[] values, List<Violation> violations, E fallback) {
        JsonNode node = body.get(field);
        Optional<E> found = node.isTextual()
                ? Arrays.stream(values).filter(v -> v.name().equals(TextKeys.code(node.asText().strip()))).findFirst() : Optional.empty();
        if (found.isEmpty()) {
            violations.add(new Violation("/" + field, "must be one of " + Arrays.toString(values)));
        }
        return found.orElse(fallback);
    }

    private static String text(JsonNode body, String field, int max, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (!node.isTextual() || node.asText().isBlank() || node.asText().strip().length() > max) {
            violations.add(new Violation("/" + field, "must be text of 1 to " + max + " characters"));
            return null;
        }
        return node.asText().strip();
    }

    private static boolean taken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("syncs_segment_destination_idx")) {
                return true;
            }
        }
        return false;
    }
}
