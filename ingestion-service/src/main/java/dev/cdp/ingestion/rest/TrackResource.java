package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.service.IntakeService;
import dev.cdp.ingestion.service.WriteKeys;
import dev.cdp.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Segment-compatible HTTP Tracking API. */
@Path("/v1")
@Tag(name = "tracking", description = "Segment-compatible HTTP Tracking API")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TrackResource {

    private final IntakeService intake;
    private final WriteKeys writeKeys;
    private final ObjectMapper json;
    private final int maxMessageBytes;

    public TrackResource(IntakeService intake, WriteKeys writeKeys, ObjectMapper json, IngestionConfig config) {
        this.intake = intake;
        this.writeKeys = writeKeys;
        this.json = json;
        this.maxMessageBytes = config.maxMessageBytes();
    }

    /** What a sender gets back for an accepted message. */
    public record Accepted(boolean success, String messageId) {
    }

    @POST
    @Path("/track")
    @Operation(summary = "Record what a user did (Segment track call)",
            description = "Authenticate with HTTP Basic, the source's write key as user name and an empty password, or "
                    + "with writeKey in the body. Answers once the message is durably stored in Kafka.")
    public Uni<Accepted> track(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        if (body.length > maxMessageBytes) {
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "message-too-large",
                    "A message may be at most " + maxMessageBytes + " bytes; this one is " + body.length);
        }
        JsonNode message = parse(body);
        String source = authenticate(authorization, message);
        return intake.track(source, message).map(messageId -> new Accepted(true, messageId));
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Segment's scheme: Basic auth with the write key as user name, or {@code writeKey} in the body. */
    private String authenticate(String authorization, JsonNode message) {
        String writeKey = basicUser(authorization);
        if (writeKey == null && message != null && message.path("writeKey").isTextual()) {
            writeKey = message.get("writeKey").asText();
        }
        return writeKeys.sourceOf(writeKey).orElseThrow(() -> new ProblemException(Status.UNAUTHORIZED, "unauthorized",
                writeKeyProblem(authorization, message)));
    }

    private static String writeKeyProblem(String authorization, JsonNode message) {
        boolean given = authorization != null || (message != null && message.has("writeKey"));
        return given ? "The write key is not valid" : "A write key is required: HTTP Basic with the key as user name, or writeKey in the body";
    }

    private static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon < 0 ? credentials : credentials.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
