package dev.cdp.export.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * TikTok API for Business v1.3 partner audiences (platform-apis.md §3 and §7) under {@code /tiktok/open_api/v1.3/}:
 * every application answer, errors included, is HTTP 200 with the {@code {code,message,request_id,data}} envelope; only
 * the gateway answers with HTTP statuses (404 for a path without its trailing slash). Rows are kept per audience in
 * {@code id_schema} order, {@code ""} where the row has no id for that audience; a member is identified by its
 * non-empty ids, and a {@code delete} row removes every member whose ids include all of the row's.
 */
public final class TikTokStub extends PlatformStub {

    /** A partner audience created through the API or {@link #createAudience}. */
    public record Audience(String id, String advertiserId, String name) {
    }

    private static final String API = "/open_api/v1.3/";
    private static final int MAX_ROWS = 1_000;
    private static final Pattern ID_TYPE = Pattern.compile("[A-Z]+_(SHA256|MD5)");
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final AtomicLong ids = new AtomicLong(7_300_000_000_000_000_000L);
    private final Map<String, Audience> audiences = new LinkedHashMap<>();
    private final Map<String, Map<Map<String, String>, List<String>>> members = new HashMap<>();
    private final Map<String, List<List<String>>> added = new HashMap<>();
    private final Map<String, List<List<String>>> removed = new HashMap<>();
    private Set<String> acceptedTokens;
    private final Map<String, List<ObjectNode>> events = new HashMap<>();

    TikTokStub() {
        super("tiktok");
    }

    /** An audience that exists before the test. */
    public synchronized Audience createAudience(String advertiserId, String name) {
        return newAudience(advertiserId, name);
    }

    /** The audiences created so far, oldest first. */
    public synchronized List<Audience> audiences() {
        return List.copyOf(audiences.values());
    }

    /** The rows now in the audience. */
    public synchronized Set<List<String>> audienceMembers(String audienceId) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(members.getOrDefault(audienceId, Map.of()).values()));
    }

    /** Every row of every accepted {@code add} mapping for the audience, in order, duplicates kept. */
    public synchronized List<List<String>> addedRows(String audienceId) {
        return List.copyOf(added.getOrDefault(audienceId, List.of()));
    }

    /** Every row of every accepted {@code delete} mapping for the audience, in order, duplicates kept. */
    public synchronized List<List<String>> removedRows(String audienceId) {
        return List.copyOf(removed.getOrDefault(audienceId, List.of()));
    }

    /** Only these {@code Access-Token} values are valid from now on (others get 40105); by default any but "expired"/"invalid". */
    public synchronized void acceptOnlyTokens(String... tokens) {
        acceptedTokens = Set.of(tokens);
    }

    /** Every event of every accepted {@code /event/track/} call to the pixel, with the call's test_event_code and event_source added. */
    public synchronized List<ObjectNode> events(String pixelCode) {
        return List.copyOf(events.getOrDefault(pixelCode, List.of()));
    }

    /** Code 40100 "Too many requests" with HTTP 200: the app-level QPS limit. */
    public void rateLimitedNext(int times) {
        failNext(times, request -> envelope(40100, "Too many requests. Please retry in some time."));
    }

    /** A raw HTTP 502 from the gateway, not an envelope. */
    public void badGatewayNext(int times) {
        failNext(times, request -> html(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"));
    }

    /** Code 40102: the access token expired under the client. */
    public void tokenExpiredNext(int times) {
        failNext(times, request -> envelope(40102, "Access token has expired."));
    }

    /** Any other envelope code from platform-apis.md §3.4 (40001, 40133, 50000 …), with HTTP 200. */
    public void codeNext(int times, int code, String message) {
        failNext(times, request -> envelope(code, message));
    }

    @Override
    protected ResponseDefinitionBuilder answer(Request request) {
        String route = request.getMethod().getName() + " " + path(request);
        if (!List.of("GET " + API + "advertiser/info/", "POST " + API + "segment/audience/", "POST " + API + "segment/mapping/",
                "POST " + API + "event/track/").contains(route)) {
            return html(404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
                    + "</body>\r\n</html>\r\n");
        }
        String token = request.getHeader("Access-Token");
        if (token == null || token.isBlank()) {
            return envelope(40104, "Access token is null, you should set it in http header with key Access-Token.");
        }
        if (token.equals("expired")) {
            return envelope(40102, "Access token has expired.");
        }
        if (token.equals("invalid") || acceptedTokens != null && !acceptedTokens.contains(token)) {
            return envelope(40105, "Access token is incorrect or has been revoked.");
        }
        if (route.startsWith("GET")) {
            return advertiserInfo(query(request).get("advertiser_ids"));
        }
        JsonNode body = parseJson(request.getBodyAsString());
        if (body == null || !body.isObject()) {
            return envelope(40002, "Invalid JSON in the request body.");
        }
        if (route.endsWith("event/track/")) {
            return track(body);
        }
        return route.endsWith("segment/audience/") ? createAudience(body) : mapping(body);
    }

    @Override
    protected ResponseDefinitionBuilder downAnswer() {
        return html(503, "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
                + "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n");
    }

    @Override
    protected void clearState() {
        audiences.clear();
        members.clear();
        added.clear();
        removed.clear();
        acceptedTokens = null;
        events.clear();
    }

    /**
     * Events API 2.0 (platform-apis.md §5, §7): {@code event_source} and {@code event_source_id} required, 1 to 1,000
     * events, each with {@code event} and {@code event_time}; {@code user.email}, {@code phone} and
     * {@code external_id} lists of SHA-256 hex; a bad field refuses the batch with 40002 "Batch.{i}.…".
     */
    private ResponseDefinitionBuilder track(JsonNode body) {
        if (!List.of("web", "app", "offline", "crm").contains(body.path("event_source").asText())) {
            return envelope(40002, "event_source: Must be one of: web, app, offline, crm.");
        }
        String pixel = body.path("event_source_id").asText("");
        if (pixel.isEmpty()) {
            return envelope(40002, "event_source_id: Missing data for required field.");
        }
        JsonNode data = body.path("data");
        if (!data.isArray() || data.isEmpty() || data.size() > 1000) {
            return envelope(40002, "data: Length must be between 1 and 1000.");
        }
        for (int i = 0; i < data.size(); i++) {
            JsonNode event = data.get(i);
            if (!event.path("event").isTextual() || !event.path("event_time").canConvertToLong()) {
                return envelope(40002, "Batch." + i + ".event: Missing data for required field.");
            }
            for (String key : List.of("email", "phone", "external_id")) {
                for (JsonNode value : event.path("user").path(key)) {
                    if (!value.isTextual() || !isSha256Hex(value.asText())) {
                        return envelope(40002, "Batch." + i + ".user." + key + ": Not a valid SHA-256 hash.");
                    }
                }
            }
        }
        List<ObjectNode> kept = events.computeIfAbsent(pixel, id -> new ArrayList<>());
        for (JsonNode event : data) {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            copy.put("event_source", body.path("event_source").asText());
            if (body.hasNonNull("test_event_code")) {
                copy.put("test_event_code", body.get("test_event_code").asText());
            }
            kept.add(copy);
        }
        return envelope(0, "OK", object());
    }

    private static ResponseDefinitionBuilder advertiserInfo(String advertiserIds) {
        if (advertiserIds == null) {
            return envelope(40002, "advertiser_ids: Missing data for required field.");
        }
        JsonNode ids = parseJson(advertiserIds);
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            return envelope(40002, "advertiser_ids: Not a valid list.");
        }
        ObjectNode data = object();
        ArrayNode list = data.putArray("list");
        ids.forEach(id -> list.addObject().put("advertiser_id", id.asText()).put("name", "Stub advertiser " + id.asText())
                .put("status", "STATUS_ENABLE").put("currency", "USD").put("timezone", "Etc/GMT"));
        return envelope(0, "OK", data);
    }

    private ResponseDefinitionBuilder createAudience(JsonNode body) {
        String advertiserId = body.path("advertiser_id").asText("");
        String name = body.path("custom_audience_name").asText("");
        if (advertiserId.isEmpty()) {
            return envelope(40002, "advertiser_id: Missing data for required field.");
        }
        if (name.isEmpty() || name.length() > 128) {
            return envelope(40002, "custom_audience_name: Length must be between 1 and 128.");
        }
        if (!body.path("action").asText().equals("create")) {
            return envelope(40002, "action: Must be one of: create.");
        }
        return envelope(0, "OK", object().put("audience_id", newAudience(advertiserId, name).id()));
    }

    private Audience newAudience(String advertiserId, String name) {
        Audience audience = new Audience(String.valueOf(ids.incrementAndGet()), advertiserId, name);
        audiences.put(audience.id(), audience);
        return audience;
    }

    /** Validates the whole batch before applying any of it. */
    private ResponseDefinitionBuilder mapping(JsonNode body) {
        Set<String> advertisers = new LinkedHashSet<>();
        body.path("advertiser_ids").forEach(id -> advertisers.add(id.asText()));
        if (advertisers.isEmpty()) {
            return envelope(40002, "advertiser_ids: Missing data for required field.");
        }
        String action = body.path("action").asText();
        if (!action.equals("add") && !action.equals("delete")) {
            return envelope(40002, "action: Must be one of: add, delete.");
        }
        List<String> schema = new ArrayList<>();
        body.path("id_schema").forEach(type -> schema.add(type.asText()));
        if (schema.isEmpty() || schema.stream().anyMatch(type -> !ID_TYPE.matcher(type).matches())) {
            return envelope(40002, "id_schema: Must be a non-empty list of id types such as EMAIL_SHA256, PHONE_SHA256.");
        }
        JsonNode batch = body.path("batch_data");
        if (!batch.isArray() || batch.isEmpty()) {
            return envelope(40002, "batch_data: Missing data for required field.");
        }
        if (batch.size() > MAX_ROWS) {
            return envelope(40011, "Too many IDs in one request: batch_data allows at most " + MAX_ROWS + " rows.");
        }
        List<Map<String, List<String>>> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode row = batch.get(i);
            if (!row.isArray() || row.size() != schema.size()) {
                return envelope(40002, "batch_data[" + i + "]: The row length must equal the length of id_schema.");
            }
            Map<String, List<String>> byAudience = new LinkedHashMap<>();
            for (int j = 0; j < schema.size(); j++) {
                String problem = cell(row.get(j), schema.get(j), j, schema.size(), advertisers, byAudience);
                if (problem != null) {
                    return envelope(problem.startsWith("audience") ? 40007 : 40002, "batch_data[" + i + "][" + j + "]." + problem);
                }
            }
            if (byAudience.isEmpty()) {
                return envelope(40002, "batch_data[" + i + "]: At least one id is required.");
            }
            rows.add(byAudience);
        }
        for (Map<String, List<String>> row : rows) {
            row.forEach((audience, values) -> apply(audience, schema, values, action.equals("add")));
        }
        return envelope(0, "OK");
    }

    /** Reads one cell into the row of each audience it names; returns what is wrong with it, or null. */
    private String cell(JsonNode cell, String type, int column, int width, Set<String> advertisers,
            Map<String, List<String>> byAudience) {
        if (!cell.isObject()) {
            return "id: Each cell must be an object.";
        }
        if (cell.isEmpty()) {
            return null;
        }
        String id = cell.path("id").asText("");
        if (!(type.endsWith("_MD5") ? MD5_HEX.matcher(id).matches() : isSha256Hex(id))) {
            return "id: Not a valid " + type.substring(type.lastIndexOf('_') + 1) + " hash.";
        }
        JsonNode audienceIds = cell.path("audience_ids");
        if (!audienceIds.isArray() || audienceIds.isEmpty()) {
            return "id: audience_ids is required for every id.";
        }
        for (JsonNode audienceId : audienceIds) {
            Audience audience = audiences.get(audienceId.asText());
            if (audience == null || !advertisers.contains(audience.advertiserId())) {
                return "audience_ids: Audience " + audienceId.asText() + " does not exist for these advertisers.";
            }
            byAudience.computeIfAbsent(audience.id(), key -> new ArrayList<>(Collections.nCopies(width, ""))).set(column, id);
        }
        return null;
    }

    private void apply(String audienceId, List<String> schema, List<String> values, boolean add) {
        Map<String, String> identifiers = new LinkedHashMap<>();
        for (int i = 0; i < schema.size(); i++) {
            if (!values.get(i).isEmpty()) {
                identifiers.put(schema.get(i), values.get(i));
            }
        }
        Map<Map<String, String>, List<String>> current = members.computeIfAbsent(audienceId, id -> new LinkedHashMap<>());
        List<String> row = List.copyOf(values);
        if (add) {
            added.computeIfAbsent(audienceId, id -> new ArrayList<>()).add(row);
            current.putIfAbsent(identifiers, row);
        } else {
            removed.computeIfAbsent(audienceId, id -> new ArrayList<>()).add(row);
            current.keySet().removeIf(member -> member.entrySet().containsAll(identifiers.entrySet()));
        }
    }

    private static ResponseDefinitionBuilder envelope(int code, String message) {
        return envelope(code, message, object());
    }

    /** The TikTok envelope, always with HTTP 200. */
    private static ResponseDefinitionBuilder envelope(int code, String message, ObjectNode data) {
        ObjectNode body = object().put("code", code).put("message", message)
                .put("request_id", LocalDateTime.now(ZoneOffset.UTC).format(REQUEST_TIME) + randomDigits(6)
                        + randomToken(9).toUpperCase(Locale.ROOT).replaceAll("[^0-9A-F]", "0"));
        body.set("data", data);
        return json(200, body);
    }
}
