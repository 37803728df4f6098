package dev.cdp.segment.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.Page;
import dev.cdp.problem.Params;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Audited;
import dev.cdp.security.Roles;
import dev.cdp.segment.domain.CompiledQuery;
import dev.cdp.segment.domain.Evaluation;
import dev.cdp.segment.domain.Membership;
import dev.cdp.segment.domain.Preview;
import dev.cdp.segment.domain.Segment;
import dev.cdp.segment.repository.SegmentRepository;
import dev.cdp.segment.service.SegmentService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.common.util.RestMediaType;

/** Segment definitions, their evaluation, members and history. */
@RolesAllowed(Roles.VIEWER)
@Path("/segments")
@Tag(name = "segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private final SegmentService service;
    private final SegmentRepository segments;

    public SegmentResource(SegmentService service, SegmentRepository segments) {
        this.service = service;
        this.segments = segments;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a segment from a name, an optional description and a definition; 201 with the segment")
    @RolesAllowed(Roles.MARKETER)
    public Uni<RestResponse<Segment>> create(JsonNode body, UriInfo uri) {
        SegmentService.Draft draft = SegmentService.draft(body);
        return service.create(draft).map(segment -> RestResponse.ResponseBuilder.<Segment>created(location(uri, segment)).entity(segment).build())
                .onFailure(SegmentResource::duplicateName).transform(e -> nameTaken(draft.name()));
    }

    @GET
    @Operation(summary = "Every segment, by name, with its size and last evaluation")
    public Uni<List<Segment>> list() {
        return segments.list();
    }

    @GET
    @Path("/examples")
    @Operation(summary = "Ready definitions of common retail and fuel audiences, to create as they are or adapt")
    public JsonNode examples() {
        return SegmentExamples.ALL;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A segment with its current size and last evaluation")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE}) // export-service reads the segment it exports
    public Uni<Segment> get(@PathParam("id") String id) {
        return service.find(Params.uuidParam("id", id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a segment's name, description and definition; the version goes up when the definition changes")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Segment> update(@PathParam("id") String id, JsonNode body) {
        UUID segmentId = Params.uuidParam("id", id);
        SegmentService.Draft draft = SegmentService.draft(body);
        return service.update(segmentId, draft).onFailure(SegmentResource::duplicateName).transform(e -> nameTaken(draft.name()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a segment with its members and history; 204")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Void> delete(@PathParam("id") String id) {
        return service.delete(Params.uuidParam("id", id));
    }

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Count, a sample of 20 customers and the SQL with its parameters for an unsaved definition: {\"definition\": {...}}")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Preview> preview(JsonNode body) {
        if (body == null || !body.isObject() || !body.has("definition")) {
            throw ProblemException.invalid(List.of(new Violation("/definition", "is required")));
        }
        return service.preview(body.get("definition"));
    }

    @GET
    @Path("/{id}/query")
    @Operation(summary = "The SQL the segment runs and its bound parameters")
    public Uni<CompiledQuery> query(@PathParam("id") String id) {
        return service.query(Params.uuidParam("id", id));
    }

    @POST
    @Path("/{id}/refresh")
    @Operation(summary = "Evaluate the segment in full now: its size, who entered and who exited")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Evaluation> refresh(@PathParam("id") String id) {
        return service.refresh(Params.uuidParam("id", id), "api");
    }

    @GET
    @Path("/{id}/members")
    @Operation(summary = "The members of the last evaluation, in customer id order, paged by cursor (limit 1-1000, default 100)")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Page<Membership>> members(@PathParam("id") String id, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        int size = Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        UUID after = cursor == null || cursor.isEmpty() ? null : Params.uuidParam("cursor", cursor);
        return service.find(Params.uuidParam("id", id))
                .chain(segment -> segments.members(segment, after, size))
                .map(page -> new Page<>(page, page.size() < size ? null : page.get(page.size() - 1).customerId().toString()));
    }

    @GET
    @Path("/{id}/members")
    @Produces(RestMediaType.APPLICATION_NDJSON + ";qs=0.5") // JSON stays the answer to Accept: */*
    @Operation(summary = "Every member, one JSON object a line (Accept: application/x-ndjson), with the identifiers ad platforms "
            + "match on and the consents that allow it; streamed in customer id order, or with order=any in the order the "
            + "database reads them fastest (a file export needs no order); for export-service (PII)")
    @RolesAllowed({Roles.SERVICE, Roles.PII_READER})
    @Audited
    public Response activationMembers(@PathParam("id") String id, @QueryParam("order") String order) {
        boolean inCustomerIdOrder = inCustomerIdOrder(order);
        Segment segment = service.find(Params.uuidParam("id", id)).await().atMost(LOOKUP_TIMEOUT);
        // Written on this worker thread through a buffer: one socket write per 64 KB, not one per member.
        StreamingOutput lines = out -> {
            try (Stream<List<Buffer>> members = segments.activationMembers(segment.id(), inCustomerIdOrder).subscribe().asStream();
                    OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
                Iterator<List<Buffer>> each = members.iterator();
                while (each.hasNext()) {
                    for (Buffer line : each.next()) {
                        buffered.write(line.getBytes());
                        buffered.write('\n');
                    }
                }
            }
        };
        return Response.ok(lines, RestMediaType.APPLICATION_NDJSON).build();
    }

    /** The members stream's {@code order}: customerId (the default) or any. */
    private static boolean inCustomerIdOrder(String order) {
        if (order == null || order.isEmpty() || order.equals("customerId")) {
            return true;
        }
        if (order.equals("any")) {
            return false;
        }
        throw ProblemException.invalid(List.of(new Violation("order", "must be customerId or any")));
    }

    @POST
    @Path("/{id}/members/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(RestMediaType.APPLICATION_NDJSON)
    @Operation(summary = "Whether each of up to 1000 customers is a member now: {\"customerIds\": [...]}; one JSON object a line "
            + "per distinct customer, in customer id order, with the members stream's identifiers and consents and \"member\" "
            + "true or false; a customer the read model does not hold (unknown, merged, deleted) only {customerId, member: false}; "
            + "for export-service's incremental syncs (PII)")
    @RolesAllowed({Roles.SERVICE, Roles.PII_READER})
    @Audited
    public Uni<Response> lookupMembers(@PathParam("id") String id, JsonNode body) {
        UUID segmentId = Params.uuidParam("id", id);
        UUID[] customerIds = SegmentService.customerIds(body);
        // At most 1000 lines of a few hundred bytes: answered whole. The lines are PII and are never logged.
        return service.lookupMembers(segmentId, customerIds).map(lines -> {
            StringBuilder ndjson = new StringBuilder(lines.size() * 384);
            lines.forEach(line -> ndjson.append(line).append('\n'));
            return Response.ok(ndjson.toString(), RestMediaType.APPLICATION_NDJSON).build();
        });
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "The segment's evaluations, newest first: size, entered and exited per run (limit 1-1000, default 100)")
    public Uni<List<Evaluation>> history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        int size = Params.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        return service.find(Params.uuidParam("id", id)).chain(segment -> segments.history(segment.id(), size));
    }

    private static URI location(UriInfo uri, Segment segment) {
        return uri.getBaseUriBuilder().path("segments").path(segment.id().toString()).build();
    }

    private static boolean duplicateName(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(Status.CONFLICT, "segment-name-taken",
                "A segment named \"" + name + "\" exists already (names are unique, ignoring case)", List.of(new Violation("/name", "is taken")));
    }
}
