package dev.cdp.export.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Segments kept matched in destinations, and their runs. */
@RolesAllowed(Roles.VIEWER)
@Path("/syncs")
@Tag(name = "syncs")
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final SyncService service;

    public SyncResource(SyncService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keep a segment matched in a destination: {\"segmentId\", \"destinationId\", \"mode\": MIRROR|ADD_ONLY, "
            + "\"identifiers\": [...], \"trigger\": ON_CHANGE|INTERVAL|MANUAL, \"intervalMinutes\", \"audienceName\", \"platformAudienceId\", "
            + "\"enabled\"}; the first run (a full upload) starts at once unless MANUAL")
    @RolesAllowed(Roles.MARKETER)
    public Uni<RestResponse<SyncView>> create(JsonNode body, UriInfo uri) {
        return service.create(body).map(created -> RestResponse.ResponseBuilder.<SyncView>created(
                uri.getBaseUriBuilder().path("syncs").path(created.id().toString()).build()).entity(created).build());
    }

    @GET
    @Operation(summary = "Syncs, oldest first, optionally of one segment or one destination")
    public Uni<List<SyncView>> list(@QueryParam("segmentId") String segmentId, @QueryParam("destinationId") String destinationId) {
        return service.list(optionalUuid("segmentId", segmentId), optionalUuid("destinationId", destinationId));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A sync")
    public Uni<SyncView> get(@PathParam("id") String id) {
        return service.get(Params.uuidParam("id", id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change mode, identifiers, trigger, intervalMinutes, enabled or audienceName; new identifiers make the next run a full upload")
    @RolesAllowed(Roles.MARKETER)
    public Uni<SyncView> update(@PathParam("id") String id, JsonNode body) {
        return service.update(Params.uuidParam("id", id), body);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a sync that is not running, with its runs and ledger; the platform audience is left as it is")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Void> delete(@PathParam("id") String id) {
        return service.delete(Params.uuidParam("id", id));
    }

    @POST
    @Path("/{id}/runs")
    @Operation(summary = "Run the sync now: the difference since the last run, or with ?full=true the whole audience again; 202 with the run")
    @RolesAllowed(Roles.MARKETER)
    public Uni<RestResponse<RunView>> runNow(@PathParam("id") String id, @QueryParam("full") String full, UriInfo uri) {
        if (full != null && !full.equals("true") && !full.equals("false")) {
            throw ProblemException.invalid(List.of(new Violation("full", "must be true or false")));
        }
        UUID syncId = Params.uuidParam("id", id);
        return service.runNow(syncId, "true".equals(full)).map(run -> RestResponse.ResponseBuilder.<RunView>accepted()
                .location(uri.getBaseUriBuilder().path("syncs").path(syncId.toString()).path("runs").path(run.id().toString()).build())
                .entity(run).build());
    }

    @GET
    @Path("/{id}/runs")
    @Operation(summary = "The sync's runs, newest first (limit 1-500, default 50): status, rows added, removed and failed, the platform's "
            + "counts, request ids, coverage per identifier, duration")
    public Uni<List<RunView>> runs(@PathParam("id") String id, @QueryParam("limit") String limit) {
        return service.runs(Params.uuidParam("id", id), Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    @GET
    @Path("/{id}/runs/{runId}")
    @Operation(summary = "One run")
    public Uni<RunView> run(@PathParam("id") String id, @PathParam("runId") String runId) {
        return service.run(Params.uuidParam("id", id), Params.uuidParam("runId", runId));
    }

    @GET
    @Path("/{id}/runs/{runId}/calls")
    @Operation(summary = "Every call the run made to the platform, retries included: operation, rows, outcome, HTTP status, the platform's "
            + "code and request id, duration")
    public Uni<List<SyncService.Call>> calls(@PathParam("id") String id, @PathParam("runId") String runId) {
        return service.calls(Params.uuidParam("id", id), Params.uuidParam("runId", runId));
    }

    private static UUID optionalUuid(String name, String value) {
        return value == null || value.isEmpty() ? null : Params.uuidParam(name, value);
    }
}
