package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.security.Roles;
import dev.cdp.segment.domain.Segment;
import dev.cdp.segment.rest.SegmentResource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Export jobs: start one, watch its progress and coverage, download the file (streamed through with the person's token). */
@Path("/console/exports")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ExportPages {

    private static final int JOBS = 50;
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

    private final ExportApi exports;
    private final SegmentResource segments;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final URI exportService;
    private final Template page;
    private final Template jobs;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public ExportPages(@RestClient ExportApi exports, SegmentResource segments, SecurityIdentity identity, ConsoleConfig config,
            ObjectMapper json, @ConfigProperty(name = "quarkus.rest-client.export-service.url") String exportService,
            @Location("console/exports.html") Template page, @Location("console/export-jobs.html") Template jobs) {
        this.exports = exports;
        this.segments = segments;
        this.identity = identity;
        this.config = config;
        this.json = json;
        this.exportService = URI.create(exportService.endsWith("/") ? exportService : exportService + "/");
        this.page = page;
        this.jobs = jobs;
    }

    /** A job as the list shows it. */
    @TemplateData
    public record Job(String id, String segmentName, String platform, String status, boolean active, String created, String rowsRead,
            String rowsWritten, String skippedNoConsent, int percent, List<DeliveryPages.Coverage> coverage, String file, String error) {
    }

    @GET
    public Uni<TemplateInstance> exports(@Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "exports");
        return segments.list().chain(all -> jobs(all, console)
                .map(found -> console.render(page.data("jobs", found).data("active", found.stream().anyMatch(Job::active))
                        .data("segments", all.stream().filter(s -> s.size() != null).toList()).data("problem", null)))
                .onFailure().recoverWithItem(failure -> console.render(page.data("jobs", List.of()).data("active", false)
                        .data("segments", all).data("problem", ConsoleProblems.of(failure, "export-service", Roles.VIEWER)))));
    }

    /** The jobs alone: the page asks for them every two seconds while one is queued or running. */
    @GET
    @Path("/jobs")
    public Uni<TemplateInstance> jobs(@Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "exports");
        return segments.list().chain(all -> jobs(all, console))
                .map(found -> console.render(jobs.data("jobs", found).data("active", found.stream().anyMatch(Job::active))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Object> start(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ObjectNode body = json.createObjectNode().put("segmentId", String.valueOf(form.getFirst("segmentId")))
                .put("platform", String.valueOf(form.getFirst("platform"))).put("delivery", "FILE")
                .put("requestedBy", identity.getPrincipal().getName());
        return exports.startExport(body, UserToken.header(identity))
                .<Object>map(job -> Response.ok().header("HX-Redirect", "/console/exports").build())
                .onFailure().recoverWithUni(failure -> exports(headers).map(t -> t.data("problem", ConsoleProblems.of(failure, "export-service",
                        Roles.MARKETER))));
    }

    /** The file, streamed from export-service as it answers the person (marketers: hashed identifiers only). */
    @GET
    @Path("/{id}/file")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response file(@PathParam("id") String id) throws Exception {
        if (!ID.matcher(id).matches()) {
            return Response.status(404).build();
        }
        HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(exportService.resolve("exports/" + id + "/file"))
                .timeout(DOWNLOAD_TIMEOUT).header("Authorization", UserToken.header(identity)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        StreamingOutput body = out -> {
            try (InputStream in = answer.body()) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.status(answer.statusCode()).entity(body);
        answer.headers().firstValue("Content-Type").ifPresent(type -> response.header("Content-Type", type));
        answer.headers().firstValue("Content-Disposition").ifPresent(disposition -> response.header("Content-Disposition", disposition));
        return response.build();
    }

    private Uni<List<Job>> jobs(List<Segment> all, ConsolePage console) {
        return exports.exports(JOBS, UserToken.header(identity)).map(answer -> {
            ConsoleFormat fmt = console.fmt();
            List<Job> found = new ArrayList<>();
            for (JsonNode job : answer.path("items")) {
                String status = job.path("status").asText();
                boolean active = "QUEUED".equals(status) || "RUNNING".equals(status);
                JsonNode progress = job.path("progress");
                long read = progress.path("rowsRead").asLong();
                long written = progress.path("rowsWritten").asLong();
                long size = all.stream().filter(s -> s.id().toString().equals(job.path("segmentId").asText())).findFirst()
                        .map(s -> s.size() == null ? 0L : s.size()).orElse(0L);
                int percent = !active ? 100 : size <= 0 ? 0 : (int) Math.min(100, read * 100 / size);
                List<DeliveryPages.Coverage> coverage = new ArrayList<>();
                progress.path("coverage").properties().forEach(entry -> coverage.add(new DeliveryPages.Coverage(entry.getKey(),
                        fmt.number(entry.getValue().asLong()), written <= 0 ? 0 : (int) Math.min(100, entry.getValue().asLong() * 100 / written))));
                boolean downloadable = "SUCCEEDED".equals(status) && !job.path("file").path("deleted").asBoolean(false);
                found.add(new Job(job.path("id").asText(), job.path("segmentName").asText(), job.path("platform").asText(), status, active,
                        fmt.dateTime(ConsoleFormat.instant(job.path("createdAt"))), fmt.number(read), fmt.number(written),
                        fmt.number(progress.path("skippedNoConsent").asLong()), percent, coverage,
                        downloadable ? job.path("file").path("name").asText("") : "", job.path("error").asText("")));
            }
            return found;
        });
    }
}
