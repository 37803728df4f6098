package dev.cdp.export.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.export.domain.ExportJob.Status;
import dev.cdp.export.domain.ExportJob;
import dev.cdp.export.repository.ExportRepository;
import dev.cdp.export.service.ExportRunner;
import dev.cdp.export.service.ExportService;
import dev.cdp.problem.Page;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Audited;
import dev.cdp.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Export jobs: start one, follow it, list them, download the file. */
@RolesAllowed(Roles.VIEWER)
@Path("/exports")
@Tag(name = "exports")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final String CSV = "text/csv; charset=utf-8";

    private final ExportService service;
    private final ExportRepository jobs;
    private final ExportRunner runner;

    public ExportResource(ExportService service, ExportRepository jobs, ExportRunner runner) {
        this.service = service;
        this.jobs = jobs;
        this.runner = runner;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Export a segment's members with advertising consent to a platform-ready file: "
            + "{\"segmentId\", \"platform\": \"META\"|\"GOOGLE\"|\"TIKTOK\", \"delivery\": \"FILE\", \"requestedBy\"}; 202 with the job")
    @RolesAllowed(Roles.MARKETER)
    public Uni<RestResponse<ExportJob>> start(JsonNode body, UriInfo uri) {
        return service.start(ExportService.request(body)).map(job -> RestResponse.ResponseBuilder.<ExportJob>accepted()
                .location(uri.getBaseUriBuilder().path("exports").path(job.id().toString()).build()).entity(job).build());
    }

    @GET
    @Operation(summary = "Export jobs, newest first, optionally of one segment or in one status; paged by cursor (limit 1-500, default 50)")
    public Uni<Page<ExportJob>> list(@QueryParam("segmentId") String segmentId, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        int size = Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        UUID segment = segmentId == null || segmentId.isEmpty() ? null : Params.uuidParam("segmentId", segmentId);
        UUID before = cursor == null || cursor.isEmpty() ? null : Params.uuidParam("cursor", cursor);
        return jobs.list(segment, status(status), before, size)
                .map(page -> new Page<>(page, page.size() < size ? null : page.get(page.size() - 1).id().toString()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An export job: status (QUEUED, RUNNING, SUCCEEDED, FAILED), progress and coverage, file, audit fields")
    public Uni<ExportJob> get(@PathParam("id") String id) {
        return service.find(Params.uuidParam("id", id));
    }

    @GET
    @Path("/{id}/file")
    @Produces({CSV, MediaType.APPLICATION_JSON})
    @Operation(summary = "The finished file (text/csv, as an attachment); 409 while the job has not succeeded, 410 after retention")
    @RolesAllowed(Roles.MARKETER)
    @Audited
    public Uni<Response> file(@PathParam("id") String id) {
        return service.find(Params.uuidParam("id", id)).map(job -> {
            if (job.status() != Status.SUCCEEDED) {
                throw new ProblemException(Response.Status.CONFLICT, "export-not-finished", job.status() == Status.FAILED
                        ? "Export " + job.id() + " failed, so it has no file: " + job.error()
                        : "Export " + job.id() + " is " + job.status() + "; its file can be downloaded once it SUCCEEDED");
            }
            java.nio.file.Path file = runner.file(job.id());
            if (job.file().deleted() || !Files.isRegularFile(file)) {
                throw new ProblemException(Response.Status.GONE, "export-file-expired",
                        "The file of export " + job.id() + " was deleted when its retention ended (" + job.file().expiresAt() + "); start a new export");
            }
            return Response.ok(file.toFile(), CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + job.file().name() + "\"").build();
        });
    }

    private static Status status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        return Arrays.stream(Status.values()).filter(s -> s.name().equals(status.toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> ProblemException.invalid(List.of(new Violation("status", "must be one of " + Arrays.toString(Status.values())))));
    }
}
