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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Destinations (admins connect them), syncs (marketers connect segments to them) and each sync's runs with their
 * progress and coverage per identifier, from export-service with the signed-in person's token.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class DeliveryPages {

    private static final int RUNS = 20;
    /** The setting each kind of destination is identified by, and the credential it takes (docs/audience-delivery.md). */
    private static final Map<String, String[]> KINDS = Map.of(
            "META", new String[] {"adAccountId", "accessToken"},
            "GOOGLE", new String[] {"operatingAccountId", "accessToken"},
            "TIKTOK", new String[] {"advertiserId", "accessToken"},
            "WEBHOOK", new String[] {"url", "signingSecret"});

    private final ExportApi exports;
    private final SegmentResource segments;
    private final SecurityIdentity identity;
    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final Template list;
    private final Template sync;
    private final Template runs;

    public DeliveryPages(@RestClient ExportApi exports, SegmentResource segments, SecurityIdentity identity, ConsoleConfig config,
            ObjectMapper json, @Location("console/destinations.html") Template list, @Location("console/sync.html") Template sync,
            @Location("console/runs.html") Template runs) {
        this.exports = exports;
        this.segments = segments;
        this.identity = identity;
        this.config = config;
        this.json = json;
        this.list = list;
        this.sync = sync;
        this.runs = runs;
    }

    @TemplateData
    public record Destination(String id, String name, String kind, String status, String attention, String account) {
    }

    @TemplateData
    public record SyncRow(String id, String segmentId, String segmentName, String destinationName, String mode, String trigger,
            boolean enabled, String identifiers) {
    }

    /** A run with its counts, how far it is (percent of the segment read) and what share of rows carry each identifier. */
    @TemplateData
    public record Run(String id, String kind, String status, boolean active, String created, String duration, String membersRead,
            String added, String removed, String failed, String skippedNoConsent, String skippedNoIdentifier, int percent,
            List<Coverage> coverage, String error) {
    }

    @TemplateData
    public record Coverage(String identifier, String count, int percent) {
    }

    @GET
    @Path("/destinations")
    public Uni<TemplateInstance> destinations(@Context HttpHeaders headers) {
        return page(ConsolePage.of(identity, headers, config, "destinations"), null);
    }

    @POST
    @Path("/destinations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Object> createDestination(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "destinations");
        String kind = text(form.getFirst("kind"));
        String[] fields = KINDS.getOrDefault(kind, KINDS.get("META"));
        ObjectNode body = json.createObjectNode().put("name", text(form.getFirst("name"))).put("kind", kind);
        body.putObject("settings").put(fields[0], text(form.getFirst("account")));
        String secret = text(form.getFirst("credential"));
        if (!secret.isEmpty()) {
            body.putObject("credentials").put(fields[1], secret);
        }
        return exports.createDestination(body, UserToken.header(identity))
                .<Object>map(made -> Response.ok().header("HX-Redirect", "/console/destinations").build())
                .onFailure().recoverWithUni(failure -> page(console, ConsoleProblems.of(failure, "export-service", Roles.ADMIN)).map(t -> t));
    }

    @POST
    @Path("/destinations/{id}/test")
    public Uni<TemplateInstance> test(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "destinations");
        return exports.testDestination(id, UserToken.header(identity))
                .chain(result -> page(console, null).map(page -> page.data("tested", id).data("testResult",
                        (result.path("ok").asBoolean() ? "OK" : result.path("outcome").asText()) + " · " + result.path("message").asText(""))))
                .onFailure().recoverWithUni(failure -> page(console, ConsoleProblems.of(failure, "export-service", Roles.ADMIN)));
    }

    @POST
    @Path("/syncs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Object> createSync(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        ConsolePage console = ConsolePage.of(identity, headers, config, "destinations");
        ObjectNode body = json.createObjectNode().put("segmentId", text(form.getFirst("segmentId")))
                .put("destinationId", text(form.getFirst("destinationId"))).put("mode", text(form.getFirst("mode")))
                .put("trigger", text(form.getFirst("trigger")));
        List<String> identifiers = form.getOrDefault("identifiers", List.of());
        if (!identifiers.isEmpty()) {
            identifiers.forEach(body.putArray("identifiers")::add);
        }
        return exports.createSync(body, UserToken.header(identity))
                .<Object>map(made -> Response.ok().header("HX-Redirect", "/console/syncs/" + made.path("id").asText()).build())
                .onFailure().recoverWithUni(failure -> page(console, ConsoleProblems.of(failure, "export-service", Roles.MARKETER)).map(t -> t));
    }

    @GET
    @Path("/syncs/{id}")
    public Uni<TemplateInstance> sync(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "destinations");
        String authorization = UserToken.header(identity);
        return Uni.combine().all().unis(exports.sync(id, authorization), exports.destinations(authorization), segments.list()).asTuple()
                .chain(all -> runsOf(id, sizeOf(all.getItem3(), all.getItem1().path("segmentId").asText()), console)
                        .map(found -> console.render(sync.data("sync", syncRow(all.getItem1(), names(all.getItem3()), destinationNames(all.getItem2())))
                                .data("runs", found).data("active", found.stream().anyMatch(Run::active)).data("problem", null))))
                .onFailure().recoverWithItem(failure -> console.render(sync.data("sync", null).data("runs", List.of()).data("active", false)
                        .data("problem", ConsoleProblems.of(failure, "export-service", Roles.VIEWER))));
    }

    /** The runs section alone: the sync page asks for it every two seconds while a run is queued or running. */
    @GET
    @Path("/syncs/{id}/runs")
    public Uni<TemplateInstance> runs(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsolePage console = ConsolePage.of(identity, headers, config, "destinations");
        return exports.sync(id, UserToken.header(identity)).chain(found -> segments.list()
                .chain(all -> runsOf(id, sizeOf(all, found.path("segmentId").asText()), console)))
                .map(found -> console.render(runs.data("syncId", id).data("runs", found).data("active", found.stream().anyMatch(Run::active))));
    }

    @POST
    @Path("/syncs/{id}/run")
    public Uni<Object> runNow(@PathParam("id") String id, @Context HttpHeaders headers) {
        ConsoleRequests.requireHtmx(headers);
        return exports.runNow(id, false, UserToken.header(identity))
                .<Object>map(run -> Response.ok().header("HX-Redirect", "/console/syncs/" + id).build())
                .onFailure().recoverWithUni(failure -> sync(id, headers).map(page -> page.data("problem",
                        ConsoleProblems.of(failure, "export-service", Roles.MARKETER))));
    }

    private Uni<TemplateInstance> page(ConsolePage console, ConsoleProblems problem) {
        String authorization = UserToken.header(identity);
        return Uni.combine().all().unis(exports.destinations(authorization), exports.syncs(authorization), segments.list()).asTuple()
                .map(all -> {
                    List<Destination> destinations = new ArrayList<>();
                    for (JsonNode d : all.getItem1()) {
                        String[] fields = KINDS.getOrDefault(d.path("kind").asText(), KINDS.get("META"));
                        destinations.add(new Destination(d.path("id").asText(), d.path("name").asText(), d.path("kind").asText(),
                                d.path("status").asText(), d.path("attention").asText(""), d.path("settings").path(fields[0]).asText("")));
                    }
                    Map<String, String> segmentNames = names(all.getItem3());
                    Map<String, String> destinationNames = destinationNames(all.getItem1());
                    List<SyncRow> syncs = new ArrayList<>();
                    all.getItem2().forEach(s -> syncs.add(syncRow(s, segmentNames, destinationNames)));
                    return console.render(list.data("destinations", destinations).data("syncs", syncs).data("segments", all.getItem3())
                            .data("problem", problem).data("tested", "").data("testResult", ""));
                })
                .onFailure().recoverWithItem(failure -> console.render(list.data("destinations", List.of()).data("syncs", List.of())
                        .data("segments", List.of()).data("problem", problem != null ? problem : ConsoleProblems.of(failure, "export-service", Roles.VIEWER))
                        .data("tested", "").data("testResult", "")));
    }

    private Uni<List<Run>> runsOf(String syncId, long segmentSize, ConsolePage console) {
        return exports.runs(syncId, RUNS, UserToken.header(identity)).map(answer -> {
            ConsoleFormat fmt = console.fmt();
            List<Run> found = new ArrayList<>();
            for (JsonNode r : answer) {
                String status = r.path("status").asText();
                long read = r.path("membersRead").asLong();
                long added = r.path("rowsAdded").asLong();
                boolean active = "QUEUED".equals(status) || "RUNNING".equals(status);
                int percent = !active ? 100 : segmentSize <= 0 ? 0 : (int) Math.min(100, read * 100 / segmentSize);
                List<Coverage> coverage = new ArrayList<>();
                r.path("coverage").properties().forEach(entry -> coverage.add(new Coverage(entry.getKey(), fmt.number(entry.getValue().asLong()),
                        added <= 0 ? 0 : (int) Math.min(100, entry.getValue().asLong() * 100 / added))));
                found.add(new Run(r.path("id").asText(), r.path("kind").asText(), status, active,
                        fmt.dateTime(ConsoleFormat.instant(r.path("createdAt"))),
                        r.path("durationMs").isNumber() ? fmt.number(r.path("durationMs").asLong()) + " ms" : "", fmt.number(read),
                        fmt.number(added), fmt.number(r.path("rowsRemoved").asLong()), fmt.number(r.path("rowsFailed").asLong()),
                        fmt.number(r.path("skippedNoConsent").asLong()), fmt.number(r.path("skippedNoIdentifier").asLong()), percent, coverage,
                        r.path("error").asText("")));
            }
            return found;
        });
    }

    private static SyncRow syncRow(JsonNode s, Map<String, String> segmentNames, Map<String, String> destinationNames) {
        List<String> identifiers = new ArrayList<>();
        s.path("identifiers").forEach(i -> identifiers.add(i.asText()));
        return new SyncRow(s.path("id").asText(), s.path("segmentId").asText(), segmentNames.getOrDefault(s.path("segmentId").asText(), "?"),
                destinationNames.getOrDefault(s.path("destinationId").asText(), "?"), s.path("mode").asText(), s.path("trigger").asText(),
                s.path("enabled").asBoolean(), String.join(", ", identifiers));
    }

    private static Map<String, String> names(List<Segment> all) {
        Map<String, String> names = new HashMap<>();
        all.forEach(segment -> names.put(segment.id().toString(), segment.name()));
        return names;
    }

    private static Map<String, String> destinationNames(JsonNode all) {
        Map<String, String> names = new HashMap<>();
        all.forEach(d -> names.put(d.path("id").asText(), d.path("name").asText()));
        return names;
    }

    private static long sizeOf(List<Segment> all, String segmentId) {
        return all.stream().filter(segment -> segment.id().toString().equals(segmentId)).findFirst()
                .map(segment -> segment.size() == null ? 0L : segment.size()).orElse(0L);
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
