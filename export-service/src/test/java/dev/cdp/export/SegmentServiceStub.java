package dev.cdp.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code Accept: application/x-ndjson} (one member object a line, streamed), and {@code POST /segments/{id}/members/lookup}
 * for chosen customers. Tests put segments in {@link #SEGMENTS}, other known customers in {@link #CUSTOMERS}. Like
 * segment-service, it answers 401 without a bearer token and 403 for a token without the {@code service} role (the
 * signature is segment-service's to check, and its tests do).
 */
public class SegmentServiceStub implements QuarkusTestResourceLifecycleManager {

    /** A segment: evaluated or not, and the NDJSON lines of its members exactly as they go on the wire. */
    public record StubSegment(String name, int version, boolean evaluated, List<String> memberLines) {
    }

    public static final Map<UUID, StubSegment> SEGMENTS = new ConcurrentHashMap<>();
    /** Customers the read model holds besides members (by id, their line): a lookup answers them with member false. */
    public static final Map<UUID, String> CUSTOMERS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

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
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            send(exchange, 401, "application/problem+json", "{\"status\": 401, \"detail\": \"A bearer token is needed\"}");
            return;
        }
        if (!roles(authorization.substring("Bearer ".length())).contains("service")) {
            send(exchange, 403, "application/problem+json", "{\"status\": 403, \"detail\": \"This needs the role service\"}");
            return;
        }
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", "segments", id[, "members"]
        StubSegment segment = path.length >= 3 ? SEGMENTS.get(parse(path[2])) : null;
        if (segment == null) {
            send(exchange, 404, "application/problem+json", "{\"status\": 404, \"detail\": \"There is no segment\"}");
        } else if (path.length == 5 && path[4].equals("lookup") && exchange.getRequestMethod().equals("POST")) {
            lookup(exchange, segment);
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

    /** {@code POST /segments/{id}/members/lookup}: one line per asked customer, in id order, with {@code member}. */
    private static void lookup(HttpExchange exchange, StubSegment segment) throws IOException {
        Map<UUID, String> members = new java.util.HashMap<>();
        for (String line : segment.memberLines()) {
            members.put(UUID.fromString(JSON.readTree(line).path("customerId").asText()), line);
        }
        java.util.TreeSet<UUID> asked = new java.util.TreeSet<>();
        JSON.readTree(exchange.getRequestBody()).path("customerIds").forEach(id -> asked.add(UUID.fromString(id.asText())));
        StringBuilder lines = new StringBuilder();
        for (UUID id : asked) {
            String line = members.getOrDefault(id, CUSTOMERS.get(id));
            ObjectNode answer = line == null ? JSON.createObjectNode().put("customerId", id.toString()) : (ObjectNode) JSON.readTree(line);
            answer.put("member", members.containsKey(id));
            lines.append(JSON.writeValueAsString(answer)).append('\n');
        }
        send(exchange, 200, "application/x-ndjson", lines.toString());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The roles in a JWT's {@code groups} claim. */
    private static java.util.Set<String> roles(String jwt) throws IOException {
        String[] parts = jwt.split("\\.");
        java.util.Set<String> roles = new java.util.HashSet<>();
        if (parts.length == 3) {
            JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1])).path("groups").forEach(role -> roles.add(role.asText()));
        }
        return roles;
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
