package dev.cdp.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for segment-service that answers the two calls export-service makes, as segment-service answers them:
 * {@code GET /segments/{id}} (the segment as JSON, or a 404) and {@code GET /segments/{id}/members} with
 * {@code Accept: application/x-ndjson} (one member object a line, streamed). Tests put segments in {@link #SEGMENTS}.
 */
public class SegmentServiceStub implements QuarkusTestResourceLifecycleManager {

    /** A segment: evaluated or not, and the NDJSON lines of its members exactly as they go on the wire. */
    public record StubSegment(String name, int version, boolean evaluated, List<String> memberLines) {
    }

    public static final Map<UUID, StubSegment> SEGMENTS = new ConcurrentHashMap<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/segments/", this::answer);
        server.start();
        return Map.of("cdp.export.segment-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", "segments", id[, "members"]
        StubSegment segment = path.length >= 3 ? SEGMENTS.get(parse(path[2])) : null;
        if (segment == null) {
            send(exchange, 404, "application/problem+json", "{\"status\": 404, \"detail\": \"There is no segment\"}");
        } else if (path.length == 3) {
            send(exchange, 200, "application/json", "{\"id\": \"" + path[2] + "\", \"name\": \"" + segment.name() + "\", \"version\": "
                    + segment.version() + ", \"size\": " + segment.memberLines().size() + ", \"lastEvaluatedAt\": "
                    + (segment.evaluated() ? "\"2026-11-26T08:00:00Z\"" : "null") + "}");
        } else {
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0); // chunked: streamed like the real one
            try (OutputStream body = exchange.getResponseBody()) {
                for (String line : segment.memberLines()) {
                    body.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    body.flush();
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
