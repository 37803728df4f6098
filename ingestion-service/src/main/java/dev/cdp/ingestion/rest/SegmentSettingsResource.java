package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.ingestion.service.WriteKeys;
import dev.cdp.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The source settings Segment's libraries load before they send ({@code <cdn>/v1/projects/<writeKey>/settings}):
 * analytics.js and the mobile libraries (analytics-kotlin, analytics-swift) take the host they send to from its
 * {@code Segment.io} entry, so a site or app pointed at this service sends here and nowhere else. Telemetry to
 * Segment's cloud is off ({@code metrics.sampleRate} 0).
 */
// Written as JSON text: a resource method that returns a JsonNode gets a generated bean serializer for it, which then
// writes every JsonNode of the service as a bean (the Kafka payloads included).
@PermitAll // tracking calls carry a write key, which the intake checks itself
@Path("/v1/projects/{writeKey}/settings")
@Tag(name = "tracking")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentSettingsResource {

    private final WriteKeys writeKeys;
    private final ObjectMapper json;

    public SegmentSettingsResource(WriteKeys writeKeys, ObjectMapper json) {
        this.writeKeys = writeKeys;
        this.json = json;
    }

    @GET
    @Operation(summary = "The settings Segment's libraries load for a write key: where to send (this service)",
            description = "Point analytics.js's cdnURL, or a mobile library's cdnHost, at this service; it answers "
                    + "with itself as the apiHost, by the Host header and scheme the request came with.")
    public String settings(@PathParam("writeKey") String writeKey, @Context HttpServerRequest request) {
        writeKeys.sourceOf(writeKey).orElseThrow(() -> ProblemException.notFound("No source has this write key"));
        ObjectNode settings = json.createObjectNode();
        settings.putObject("integrations").putObject("Segment.io")
                .put("apiKey", writeKey)
                .put("apiHost", authority(request) + "/v1")
                .put("protocol", forwardedScheme(request));
        settings.putObject("plan").putObject("track").putObject("__default").put("enabled", true).putObject("integrations");
        settings.putObject("metrics").put("sampleRate", 0);
        settings.putObject("edgeFunction");
        settings.putObject("middlewareSettings");
        settings.putArray("remotePlugins");
        return settings.toString();
    }

    /** The host (and port) the client called, as its Host header said; a proxy's X-Forwarded-Host wins. */
    private static String authority(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Host");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        HostAndPort authority = request.authority();
        return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }

    /** The scheme the client used: a proxy in front that ends TLS says so in X-Forwarded-Proto. */
    private static String forwardedScheme(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Proto");
        return forwarded != null && forwarded.equalsIgnoreCase("https") ? "https" : request.scheme();
    }
}
