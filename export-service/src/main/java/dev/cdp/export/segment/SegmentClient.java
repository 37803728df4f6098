package dev.cdp.export.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cdp.export.config.ExportConfig;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.problem.ProblemException;
import dev.cdp.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** segment-service over REST: a segment's name, version and last evaluation, and its members as a stream. */
@ApplicationScoped
public class SegmentClient {

    /** What an export records of its segment, and its size at the last evaluation. */
    public record SegmentInfo(UUID id, String name, int version, Instant lastEvaluatedAt, long size) {
    }

    /** Members read one at a time from the open response; close it to release the connection. */
    public interface Members extends Iterator<AudienceMember>, AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final ObjectMapper json;
    private final ObjectReader memberReader;
    private final ServiceToken token;

    public SegmentClient(ExportConfig config, ObjectMapper json, ServiceToken token) {
        String url = config.segmentServiceUrl();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.json = json;
        // Not the application's mapper: its check that every string is storable (StrictJson) is for what clients send,
        // and cost 7 % of an export's CPU on lines that come from our own database.
        this.memberReader = JsonMapper.builder().addModule(new JavaTimeModule()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build().readerFor(AudienceMember.class);
        this.token = token;
    }

    /** The segment, or empty when segment-service does not know it; a 503 problem when it cannot be asked. */
    public Uni<Optional<SegmentInfo>> segment(UUID id) {
        return token.header().onFailure().transform(e -> unavailable("no service token: " + e.getMessage()))
                .chain(authorization -> Uni.createFrom().completionStage(() -> http.sendAsync(
                        HttpRequest.newBuilder(base.resolve("segments/" + id)).timeout(LOOKUP_TIMEOUT)
                                .header("Accept", "application/json").header("Authorization", authorization).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray()))
                        .onFailure().transform(e -> unavailable(e.getMessage())))
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.empty();
                    }
                    if (response.statusCode() != 200) {
                        throw unavailable("it answered " + response.statusCode());
                    }
                    try {
                        JsonNode segment = json.readTree(response.body());
                        JsonNode evaluated = segment.path("lastEvaluatedAt");
                        return Optional.of(new SegmentInfo(id, segment.path("name").asText(), segment.path("version").asInt(),
                                evaluated.isTextual() ? Instant.parse(evaluated.asText()) : null, segment.path("size").asLong(0)));
                    } catch (IOException e) {
                        throw unavailable("its answer did not parse");
                    }
                });
    }

    /**
     * Opens the segment's members stream (NDJSON) and reads it lazily: memory stays flat whatever the segment's size.
     * In customer id order when {@code inCustomerIdOrder} (a sync resumes after the last member it confirmed), else in
     * the order segment-service reads them fastest. Blocking; for the export runner's threads.
     */
    public Members members(UUID segmentId, boolean inCustomerIdOrder) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("segments/" + segmentId + "/members?order=" + (inCustomerIdOrder ? "customerId" : "any")))
                .header("Accept", "application/x-ndjson").header("Authorization", token.headerBlocking()).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        if (response.statusCode() != 200) {
            body.close();
            throw new IOException("segment-service answered " + response.statusCode() + " for the members of segment " + segmentId);
        }
        MappingIterator<AudienceMember> members = memberReader.readValues(body);
        return new Members() {
            @Override
            public boolean hasNext() {
                try {
                    return members.hasNextValue();
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }

            @Override
            public AudienceMember next() {
                try {
                    return members.nextValue();
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }

            @Override
            public void close() throws IOException {
                members.close();
                body.close();
            }
        };
    }

    /**
     * The customers as segment-service sees them now: for each one it knows, whether they are a member, with their
     * identifiers and consents ({@code POST /segments/{id}/members/lookup}); unknown customers (merged, erased) are
     * absent from the map. At most 1,000 ids. Blocking; for the sync runner's threads.
     */
    public Map<UUID, Lookup> lookup(UUID segmentId, List<UUID> customerIds) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(Map.of("customerIds", customerIds));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("segments/" + segmentId + "/members/lookup")).timeout(LOOKUP_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/x-ndjson")
                .header("Authorization", token.headerBlocking()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream answer = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("segment-service answered " + response.statusCode() + " to a members lookup of segment " + segmentId);
            }
            Map<UUID, Lookup> found = new HashMap<>();
            try (MappingIterator<JsonNode> lines = json.readerFor(JsonNode.class).readValues(answer)) {
                while (lines.hasNextValue()) {
                    JsonNode line = lines.nextValue();
                    if (line.has("email")) { // a customer the read model holds; the others carry only their id
                        AudienceMember member = memberReader.readValue(line);
                        found.put(member.customerId(), new Lookup(member, line.path("member").asBoolean(false)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw unreadable(e instanceof IOException io ? io : new IOException(e.getClass().getSimpleName()));
            }
            return found;
        }
    }

    /** A customer looked up: their identifiers and consents, and whether the segment holds them now. */
    public record Lookup(AudienceMember customer, boolean member) {
    }

    /** Where the stream broke, never what it held: member lines are PII. */
    private static UncheckedIOException unreadable(IOException e) {
        String where = e instanceof JsonProcessingException parse && parse.getLocation() != null
                ? " at line " + parse.getLocation().getLineNr() : "";
        String message = "the members stream from segment-service broke or did not parse" + where;
        return new UncheckedIOException(message, new IOException(message));
    }

    private static ProblemException unavailable(String why) {
        return new ProblemException(Status.SERVICE_UNAVAILABLE, "segment-service-unavailable",
                "segment-service could not be asked about the segment (" + why + "); try again shortly").withHeader("Retry-After", "5");
    }
}
