package dev.cdp.export.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.export.domain.ExportJob;
import dev.cdp.export.platform.Platform;
import dev.cdp.export.repository.ExportRepository;
import dev.cdp.export.rest.RequestBodies;
import dev.cdp.export.segment.SegmentClient;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Export requests checked and queued; the {@link ExportRunner} does the work. */
@ApplicationScoped
public class ExportService {

    static final int MAX_REQUESTED_BY = 200;
    private static final List<String> PROPERTIES = List.of("segmentId", "platform", "delivery", "requestedBy");

    /** A checked export request. */
    public record ExportRequest(UUID segmentId, Platform platform, String delivery, String requestedBy) {
    }

    private final ExportRepository jobs;
    private final SegmentClient segments;
    private final ExportRunner runner;

    public ExportService(ExportRepository jobs, SegmentClient segments, ExportRunner runner) {
        this.jobs = jobs;
        this.segments = segments;
        this.runner = runner;
    }

    /**
     * Reads {@code {"segmentId", "platform", "delivery", "requestedBy"}}, listing every problem in one 400. Platform
     * names are accepted in any case; delivery defaults to {@code FILE}, the only one so far; {@code requestedBy}
     * (who asked, for the audit trail) defaults to {@code api}.
     */
    public static ExportRequest request(JsonNode body) {
        RequestBodies.requireObject(body, " with segmentId, platform and delivery");
        List<Violation> violations = new ArrayList<>();
        RequestBodies.allowOnly(body, PROPERTIES, "is not a property of an export", violations);
        UUID segmentId = RequestBodies.uuid(body, "segmentId", "is required: the id (a UUID) of the segment to export", violations);
        Platform platform = null;
        JsonNode name = body.get("platform");
        String platforms = Arrays.toString(Platform.values());
        if (name != null && name.isTextual()) {
            platform = Arrays.stream(Platform.values()).filter(p -> p.name().equals(name.asText().strip().toUpperCase(Locale.ROOT))).findFirst()
                    .orElse(null);
        }
        if (platform == null) {
            violations.add(new Violation("/platform", "is required: one of " + platforms));
        }
        JsonNode delivery = body.get("delivery");
        if (delivery != null && !delivery.isNull() && !(delivery.isTextual() && delivery.asText().equalsIgnoreCase("FILE"))) {
            violations.add(new Violation("/delivery", delivery.isTextual() && delivery.asText().equalsIgnoreCase("API")
                    ? "API delivery is a sync, not an export: POST /syncs (docs/audience-delivery.md)" : "must be FILE"));
        }
        JsonNode requestedBy = body.get("requestedBy");
        if (requestedBy != null && !requestedBy.isNull()
                && (!requestedBy.isTextual() || requestedBy.asText().isBlank() || requestedBy.asText().length() > MAX_REQUESTED_BY)) {
            violations.add(new Violation("/requestedBy", "must be a non-blank string of at most " + MAX_REQUESTED_BY + " characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new ExportRequest(segmentId, platform, "FILE", requestedBy == null || requestedBy.isNull() ? "api" : requestedBy.asText().strip());
    }

    /** Queues the export of an evaluated segment; 404 for an unknown one, 409 for one never evaluated. */
    public Uni<ExportJob> start(ExportRequest request) {
        return segments.segment(request.segmentId()).chain(found -> {
            SegmentClient.SegmentInfo segment = found.orElseThrow(() -> ProblemException.notFound("There is no segment " + request.segmentId()));
            if (segment.lastEvaluatedAt() == null) {
                throw new ProblemException(Status.CONFLICT, "segment-not-evaluated", "Segment " + segment.id()
                        + " has not been evaluated, so it has no members yet: POST /segments/" + segment.id() + "/refresh on segment-service first",
                        List.of(new Violation("/segmentId", "names a segment that was never evaluated")));
            }
            return jobs.create(segment, request.platform(), request.delivery(), request.requestedBy());
        }).invoke(runner::dispatch);
    }

    public Uni<ExportJob> find(UUID id) {
        return jobs.find(id).map(found -> found.orElseThrow(() -> ProblemException.notFound("There is no export " + id)));
    }
}
