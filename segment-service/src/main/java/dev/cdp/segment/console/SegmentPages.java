package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.security.Roles;
import dev.cdp.segment.domain.Preview;
import dev.cdp.segment.domain.Segment;
import dev.cdp.segment.rest.SegmentResource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The console's segment pages: the list with sizes, a segment with its size over time, SQL and history, and the
 * visual builder with its live count. Every action goes through {@link SegmentResource}, the API itself, so the
 * console can never do more than the signed-in person's roles allow there.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class SegmentPages {

    private static final int HISTORY = 200;
    /** Evaluations a list's sparkline draws. */
    private static final int SPARKLINE = 30;

    private final SegmentResource segments;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final Template list;
    private final Template segment;
    private final Template builder;
    private final Template builderArea;
    private final Template error;

    public SegmentPages(SegmentResource segments, SecurityIdentity identity, ConsoleConfig config, ObjectMapper json,
            @Location("console/segments.html") Template list, @Location("console/segment.html") Template segment,
            @Location("console/builder.html") Template builder, @Location("console/builder-area.html") Template builderArea,
            @Location("console/error.html") Template error) {
        this.segments = segments;
        this.identity = identity;
        this.config = config;
        this.json = json;
        this.list = list;
        this.segment = segment;
        this.builder = builder;
        this.builderArea = builderArea;
        this.error = error;
    }

    /** What the API refused (an unknown segment, a malformed id...), as a page: a person followed a link, not a script. */
    @ServerExceptionMapper
    public Response refused(ProblemException problem, HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(page.render(error.data("status", problem.status().getStatusCode() + " " + problem.status().getReasonPhrase())
                        .data("detail", problem.getMessage())).render()).build();
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/console/segments")).build();
    }

    @GET
    @Path("/segments")
    public Uni<TemplateInstance> segments(@Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        return segments.list().chain(all -> all.isEmpty() ? Uni.createFrom().item(List.<Listed>of())
                : Uni.join().all(all.stream().map(one -> segments.history(one.id().toString(), String.valueOf(SPARKLINE))
                        .map(history -> new Listed(one, SizeChart.sparkline(history)))).toList()).andFailFast())
                .map(all -> page.render(list.data("segments", all).data("examples", exampleNames())));
    }

    @GET
    @Path("/segments/{id}")
    public Uni<TemplateInstance> segment(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        return segments.get(id).chain(found -> segments.history(id, String.valueOf(HISTORY))
                .chain(history -> segments.query(id).map(query -> page.render(segment.data("segment", found)
                        .data("definition", ConsoleFormat.json(found.definition()))
                        .data("chart", SizeChart.of(history, page.fmt()))
                        .data("history", history)
                        .data("query", query)))));
    }

    @GET
    @Path("/segments/new")
    @RolesAllowed(Roles.MARKETER)
    public Uni<TemplateInstance> create(@QueryParam("example") String example, @Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        JsonNode chosen = example(example);
        ObjectNode definition = chosen == null ? SegmentBuilder.empty() : (ObjectNode) chosen.path("definition").deepCopy();
        String name = chosen == null ? "" : chosen.path("name").asText("");
        String description = chosen == null ? "" : chosen.path("description").asText("");
        return area(page, new Draft(null, name, description, definition)).map(area -> page.render(builder.data("area", area)));
    }

    @GET
    @Path("/segments/{id}/edit")
    @RolesAllowed(Roles.MARKETER)
    public Uni<TemplateInstance> edit(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        return segments.get(id).chain(found -> area(page, new Draft(found.id().toString(), found.name(),
                        found.description() == null ? "" : found.description(), found.definition())))
                .map(area -> page.render(builder.data("area", area)));
    }

    @POST
    @Path("/builder")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.MARKETER)
    public Uni<TemplateInstance> edited(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        return area(page, Draft.of(form, page)).map(area -> page.render(builderArea.data("area", area)));
    }

    @POST
    @Path("/segments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.MARKETER)
    public Uni<Response> save(MultivaluedMap<String, String> form, @Context HttpHeaders headers, @Context UriInfo uri) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage page = ConsolePage.of(identity, headers, config, "segments");
        Draft draft = Draft.of(form, page);
        ObjectNode body = json.createObjectNode().put("name", draft.name()).put("description", draft.description());
        body.set("definition", draft.definition());
        Uni<Segment> saved = draft.id() == null ? segments.create(body, uri).map(created -> created.getEntity())
                : segments.update(draft.id(), body);
        return saved.map(done -> Response.ok().header("HX-Redirect", "/console/segments/" + done.id()).build())
                .onFailure(ProblemException.class).recoverWithUni(problem -> {
                    ProblemException refused = (ProblemException) problem;
                    return area(page, draft).map(area -> Response.ok(page.render(builderArea.data("area",
                            area.refused(refused.getMessage(), refused.violations())))).build());
                });
    }

    @POST
    @Path("/segments/{id}/refresh")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Response> refresh(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        return segments.refresh(id).map(done -> Response.ok().header("HX-Redirect", "/console/segments/" + id).build());
    }

    @POST
    @Path("/segments/{id}/delete")
    @RolesAllowed(Roles.MARKETER)
    public Uni<Response> delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        return segments.delete(id).map(done -> Response.ok().header("HX-Redirect", "/console/segments").build());
    }

    /** A segment in the list, with its recent sizes as a sparkline's points. */
    @io.quarkus.qute.TemplateData
    public record Listed(Segment segment, String sparkline) {
    }

    /** The builder's state: which segment it edits (null: a new one), its name and description, and the definition. */
    record Draft(String id, String name, String description, JsonNode definition) {

        static Draft of(MultivaluedMap<String, String> form, ConsolePage page) {
            String id = form.getFirst("id");
            return new Draft(id == null || id.isBlank() ? null : id, value(form.getFirst("name")), value(form.getFirst("description")),
                    SegmentBuilder.definition(form, page.fmt().zone()));
        }

        private static String value(String text) {
            return text == null ? "" : text.strip();
        }
    }

    /** The builder for a draft, with the live count, sample and SQL when the definition is valid, else its problems. */
    private Uni<BuilderArea> area(ConsolePage page, Draft draft) {
        ObjectNode body = json.createObjectNode();
        body.set("definition", draft.definition());
        return segments.preview(body)
                .map(preview -> BuilderArea.of(draft, SegmentBuilder.view(draft.definition(), Map.of(), page.fmt().zone()), preview, List.of(), page))
                .onFailure(ProblemException.class).recoverWithItem(problem -> {
                    List<Violation> violations = ((ProblemException) problem).violations();
                    return BuilderArea.of(draft, SegmentBuilder.view(draft.definition(), SegmentBuilder.problems(violations, "/definition"),
                            page.fmt().zone()), null, violations, page);
                });
    }

    private JsonNode example(String index) {
        JsonNode all = segments.examples();
        if (index == null || !index.matches("\\d{1,3}")) {
            return null;
        }
        JsonNode chosen = all.path(Integer.parseInt(index));
        return chosen.isMissingNode() ? null : chosen;
    }

    private List<String> exampleNames() {
        List<String> names = new ArrayList<>();
        segments.examples().forEach(example -> names.add(example.path("name").asText()));
        return names;
    }


    /** What the builder area shows. */
    @io.quarkus.qute.TemplateData
    public record BuilderArea(Draft draft, BuilderNode root, PreviewView preview, List<String> problems) {

        static BuilderArea of(Draft draft, BuilderNode root, Preview preview, List<Violation> violations, ConsolePage page) {
            List<String> general = violations.stream().filter(v -> !v.field().startsWith("/definition/"))
                    .map(v -> v.field().isEmpty() ? v.detail() : v.field().substring(1) + " " + v.detail()).toList();
            return new BuilderArea(draft, root, preview == null ? null : PreviewView.of(preview, page.fmt()), general);
        }

        /** The builder after the API refused to save: its detail, and each field it named. */
        BuilderArea refused(String detail, List<Violation> violations) {
            List<String> all = new ArrayList<>(List.of(detail));
            violations.stream().filter(v -> !v.field().startsWith("/definition/"))
                    .map(v -> (v.field().isEmpty() ? "" : v.field().substring(1) + " ") + v.detail()).forEach(all::add);
            return new BuilderArea(draft, root, preview, all);
        }
    }

    /** The live preview as the page shows it: the count in the reader's numbers, a sample, the SQL. */
    @io.quarkus.qute.TemplateData
    public record PreviewView(long size, String count, List<Preview.Member> sample, String sql, List<String> parameters) {

        static PreviewView of(Preview preview, ConsoleFormat fmt) {
            return new PreviewView(preview.size(), fmt.number(preview.size()), preview.sample(), preview.query().sql(),
                    preview.query().parameters().stream().map(String::valueOf).toList());
        }
    }
}
