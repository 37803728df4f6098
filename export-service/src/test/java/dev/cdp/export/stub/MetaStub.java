package dev.cdp.export.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta Marketing API custom audiences (platform-apis.md §1 and §7) under {@code /meta/v{N}.0/}: audience creation,
 * {@code /users} adds and removes, {@code /usersreplace} sessions, Graph error bodies. All of Meta's shapes live here so
 * they can be corrected in one place. Rows are kept exactly as sent (one string per schema column, {@code ""} for an
 * absent key); a member is identified by its non-empty identifier columns, and a removal row removes every member
 * whose identifiers include all of the row's.
 */
public final class MetaStub extends PlatformStub {

    /** A custom audience created through the API or {@link #createAudience}; the ad account id has no {@code act_}. */
    public record Audience(String id, String adAccountId, String name, String customerFileSource) {
    }

    private static final Pattern VERSIONED = Pattern.compile("/v\\d+\\.0/(.+)");
    private static final int MAX_ROWS = 10_000;
    private static final Set<String> HASHED = Set.of("EMAIL", "PHONE", "GEN", "DOBY", "DOBM", "DOBD", "LN", "FN", "FI", "CT", "ST",
            "ZIP", "COUNTRY");
    private static final Set<String> UNHASHED_IDS = Set.of("EXTERN_ID", "MADID");
    private static final Set<String> NOT_IDS = Set.of("LOOKALIKE_VALUE", "DATA_PROCESSING_OPTIONS", "DATA_PROCESSING_OPTIONS_COUNTRY",
            "DATA_PROCESSING_OPTIONS_STATE");
    private static final Set<String> FILE_SOURCES = Set.of("USER_PROVIDED_ONLY", "PARTNER_PROVIDED_ONLY", "BOTH_USER_AND_PARTNER_PROVIDED");
    private static final String NO_SCHEMA_MATCH = "(#100) Data is missing or does not match schema";
    private static final String TOO_MANY_CALLS = "(#80003) There have been too many calls to this ad-account. Wait a bit and try again. "
            + "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#custom-audience.";

    private final AtomicLong ids = new AtomicLong(23_850_000_000_000_000L);
    private final Map<String, Audience> audiences = new LinkedHashMap<>();
    private final Map<String, Map<Map<String, String>, List<String>>> members = new HashMap<>();
    private final Map<String, List<List<String>>> added = new HashMap<>();
    private final Map<String, List<List<String>>> removed = new HashMap<>();
    private final Map<String, ReplaceSession> replacing = new HashMap<>();
    private final Set<String> finishedSessions = new HashSet<>();
    private final Map<String, List<ObjectNode>> events = new HashMap<>();
    private volatile boolean keepRows = true;
    private volatile Consumer<List<Map<String, String>>> arrivals = rows -> { };
    private volatile Consumer<List<String>> eventArrivals = eventIds -> { };

    MetaStub() {
        super("meta");
    }

    /**
     * For benchmarks: rows are still parsed, checked and counted in the answers, but not kept (a million members held as
     * maps would make the stub's heap and garbage collection, not the client, what is measured).
     */
    void countOnly() {
        keepRows = false;
    }

    /** For benchmarks: told of the identifiers of each valid row a {@code POST /users} brings, as it arrives. */
    void onArrival(Consumer<List<Map<String, String>>> listener) {
        arrivals = listener;
    }

    /** For benchmarks: told of the {@code event_id}s of each accepted Conversions API call, as it arrives. */
    void onEventArrival(Consumer<List<String>> listener) {
        eventArrivals = listener;
    }

    /** An audience that exists before the test, as if made in Ads Manager. */
    public synchronized Audience createAudience(String adAccountId, String name) {
        return newAudience(adAccountId.replaceFirst("^act_", ""), name, "USER_PROVIDED_ONLY");
    }

    /** The audiences created so far, oldest first. */
    public synchronized List<Audience> audiences() {
        return List.copyOf(audiences.values());
    }

    /** The rows now in the audience: added by {@code /users}, not removed since, or the rows of the last finished replace. */
    public synchronized Set<List<String>> audienceMembers(String audienceId) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(members.getOrDefault(audienceId, Map.of()).values()));
    }

    /** Every row of every accepted {@code POST /users} and {@code /usersreplace} batch, in order, duplicates and invalid rows kept. */
    public synchronized List<List<String>> addedRows(String audienceId) {
        return List.copyOf(added.getOrDefault(audienceId, List.of()));
    }

    /** Every row of every accepted {@code DELETE /users}, in order, duplicates and invalid rows kept. */
    public synchronized List<List<String>> removedRows(String audienceId) {
        return List.copyOf(removed.getOrDefault(audienceId, List.of()));
    }

    /**
     * Every event of every accepted Conversions API call to the pixel, in order, each with the call's
     * {@code test_event_code} added (when it had one), as Events Manager would show them.
     */
    public synchronized List<ObjectNode> events(String pixelId) {
        return List.copyOf(events.getOrDefault(pixelId, List.of()));
    }

    /**
     * Business-use-case throttling: code 80003 with an {@code X-Business-Use-Case-Usage} header for the request's ad
     * account whose {@code estimated_time_to_regain_access} is in minutes, as Meta documents it. The HTTP status is not
     * confirmed (400 or 429), hence the parameter.
     */
    public void throttleNext(int times, int regainAccessMinutes, int httpStatus) {
        failNext(times, request -> error(httpStatus, 80003, null, "OAuthException", TOO_MANY_CALLS, true)
                .withHeader("X-Business-Use-Case-Usage", usage(request, regainAccessMinutes)));
    }

    /** A plain HTTP 429 with {@code Retry-After} and no usage header. */
    public void tooManyRequestsNext(int times, int retryAfterSeconds) {
        failNext(times, request -> error(429, 80003, null, "OAuthException", TOO_MANY_CALLS, true)
                .withHeader("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** HTTP 500, code 1 subcode 99 "An unknown error occurred": what large uploads sometimes get. */
    public void serverErrorNext(int times) {
        failNext(times, request -> error(500, 1, 99, "OAuthException", "An unknown error occurred", true));
    }

    /** HTTP 502 with an HTML page instead of JSON, as Meta's edge answers some large uploads. */
    public void badGatewayHtmlNext(int times) {
        failNext(times, request -> html(502, "<!DOCTYPE html><html><head><title>Error</title></head><body>"
                + "<h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed as soon as we can.</p></body></html>"));
    }

    /** The token expires under the client: 400, code 190 subcode 463. */
    public void expiredTokenNext(int times) {
        failNext(times, request -> expiredToken());
    }

    /** Any other Graph error from platform-apis.md §1.5 and §7 (294, 200, 1487366, 100/1713230 …); {@code subcode} may be null. */
    public void graphErrorNext(int times, int httpStatus, int code, Integer subcode, String message) {
        failNext(times, request -> error(httpStatus, code, subcode, "OAuthException", message, false));
    }

    @Override
    protected ResponseDefinitionBuilder answer(Request request) {
        Matcher versioned = VERSIONED.matcher(path(request));
        if (!versioned.matches()) {
            return error(400, 2500, null, "OAuthException", "Unknown path components: " + path(request), false);
        }
        ObjectNode params = params(request);
        String token = token(request, params);
        if (token == null) {
            return error(400, 190, null, "OAuthException", "An access token is required to request this resource.", false);
        }
        if (token.equals("expired")) {
            return expiredToken();
        }
        if (params.has("method")) {
            return invalid("(#100) HTTP method override is not allowed: send the request with its real method");
        }
        String[] segments = versioned.group(1).split("/");
        String node = segments[0];
        String edge = segments.length == 2 ? segments[1] : null;
        RequestMethod method = request.getMethod();
        if (segments.length > 2) {
            return noSuchObject(method, node);
        }
        if (method.equals(RequestMethod.GET) && edge == null && node.equals("me")) {
            return json(200, select(object().put("id", "100000000000001").put("name", "CDP Stub System User"), params));
        }
        if ("events".equals(edge) && method.equals(RequestMethod.POST)) {
            return conversions(node, params);
        }
        if (node.startsWith("act_")) {
            if (method.equals(RequestMethod.GET) && edge == null) {
                return json(200, select(object().put("id", node).put("account_id", node.substring(4))
                        .put("name", "Stub ad account " + node.substring(4)).put("account_status", 1), params));
            }
            if (method.equals(RequestMethod.POST) && "customaudiences".equals(edge)) {
                return createAudience(node.substring(4), params);
            }
            return noSuchObject(method, node);
        }
        Audience audience = audiences.get(node);
        if (audience == null) {
            return noSuchObject(method, node);
        }
        if (method.equals(RequestMethod.GET) && edge == null) {
            int size = members.getOrDefault(audience.id(), Map.of()).size();
            return json(200, select(object().put("id", audience.id()).put("name", audience.name()).put("subtype", "CUSTOM")
                    .put("approximate_count_lower_bound", size).put("approximate_count_upper_bound", size)
                    .set("operation_status", object().put("code", 200).put("description", "Normal")), params));
        }
        if ("users".equals(edge) && (method.equals(RequestMethod.POST) || method.equals(RequestMethod.DELETE))) {
            return users(audience, params, method.equals(RequestMethod.POST));
        }
        if ("usersreplace".equals(edge) && method.equals(RequestMethod.POST)) {
            return replace(audience, params);
        }
        return noSuchObject(method, node);
    }

    @Override
    protected ResponseDefinitionBuilder downAnswer() {
        return error(503, 2, null, "OAuthException", "(#2) Service temporarily unavailable", true);
    }

    @Override
    protected void clearState() {
        audiences.clear();
        members.clear();
        added.clear();
        removed.clear();
        replacing.clear();
        finishedSessions.clear();
        events.clear();
    }

    /**
     * Conversions API (platform-apis.md §4, §7): 1 to 1,000 events; each needs {@code event_name}, {@code event_time}
     * and {@code action_source}; hashed {@code user_data} keys must be lower-case SHA-256; one event older than 7 days
     * (62 for {@code physical_store}) refuses the whole batch with 2804003; otherwise every event is taken.
     */
    private ResponseDefinitionBuilder conversions(String pixelId, ObjectNode params) {
        if (!pixelId.chars().allMatch(Character::isDigit)) {
            return noSuchObject(RequestMethod.POST, pixelId);
        }
        JsonNode data = structured(params, "data");
        if (data == null || !data.isArray() || data.isEmpty() || data.size() > 1000) {
            return invalid("(#100) The parameter data is required and must hold 1 to 1000 events");
        }
        long now = java.time.Instant.now().getEpochSecond();
        for (JsonNode event : data) {
            if (!event.path("event_name").isTextual() || !event.path("event_time").canConvertToLong() || !event.path("action_source").isTextual()) {
                return invalid("(#100) event_name, event_time and action_source are required");
            }
            long days = event.path("action_source").asText().equals("physical_store") ? 62 : 7;
            if (event.get("event_time").asLong() < now - days * 86_400) {
                ResponseDefinitionBuilder tooOld = error(400, 100, 2804003, "OAuthException", "Invalid parameter", false);
                return tooOld;
            }
            JsonNode user = event.path("user_data");
            for (String key : List.of("em", "ph", "fn", "ln", "ct", "st", "zp", "country", "db", "ge", "external_id")) {
                for (JsonNode value : user.path(key).isArray() ? user.path(key) : List.of(user.path(key))) {
                    if (!value.isMissingNode() && !isSha256Hex(value.asText())) {
                        return invalid("(#100) user_data." + key + " must be hashed with SHA-256 (lower-case hex)");
                    }
                    if (REFUSED.contains(value.asText())) {
                        return invalid("(#100) Invalid parameter: user_data." + key + " could not be used");
                    }
                }
            }
        }
        List<String> eventIds = new ArrayList<>(data.size());
        data.forEach(event -> eventIds.add(event.path("event_id").asText()));
        eventArrivals.accept(eventIds);
        List<ObjectNode> kept = keepRows ? events.computeIfAbsent(pixelId, id -> new ArrayList<>()) : new ArrayList<>();
        String testCode = text(params, "test_event_code");
        for (JsonNode event : data) {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            if (testCode != null) {
                copy.put("test_event_code", testCode);
            }
            kept.add(copy);
        }
        ObjectNode body = object().put("events_received", data.size());
        body.putArray("messages");
        body.put("fbtrace_id", randomToken(12));
        return json(200, body);
    }

    private ResponseDefinitionBuilder createAudience(String adAccountId, ObjectNode params) {
        String name = text(params, "name");
        if (name == null || name.isBlank()) {
            return invalid("(#100) The parameter name is required");
        }
        if (!"CUSTOM".equals(text(params, "subtype"))) {
            return invalid("(#100) Param subtype must be CUSTOM for a customer file custom audience");
        }
        String source = text(params, "customer_file_source");
        if (!FILE_SOURCES.contains(source)) {
            return invalid("(#100) Param customer_file_source must be one of {USER_PROVIDED_ONLY, PARTNER_PROVIDED_ONLY, "
                    + "BOTH_USER_AND_PARTNER_PROVIDED}");
        }
        return json(200, object().put("id", newAudience(adAccountId, name, source).id()));
    }

    private Audience newAudience(String adAccountId, String name, String source) {
        Audience audience = new Audience(String.valueOf(ids.incrementAndGet()), adAccountId, name, source);
        audiences.put(audience.id(), audience);
        return audience;
    }

    private ResponseDefinitionBuilder users(Audience audience, ObjectNode params, boolean add) {
        Payload payload = payload(params);
        JsonNode session = structured(params, "session");
        String sessionId = session != null && session.hasNonNull("session_id") ? session.get("session_id").asText() : randomDigits(16);
        Map<Map<String, String>, List<String>> current = members.computeIfAbsent(audience.id(), id -> new LinkedHashMap<>());
        List<List<String>> log = (add ? added : removed).computeIfAbsent(audience.id(), id -> new ArrayList<>());
        if (add) {
            arrivals.accept(payload.rows().stream().filter(Row::valid).map(Row::identifiers).toList());
        }
        for (Row row : payload.rows()) {
            if (!keepRows) {
                break;
            }
            log.add(row.values());
            if (row.valid() && add) {
                current.putIfAbsent(row.identifiers(), row.values());
            } else if (row.valid()) {
                current.keySet().removeIf(member -> member.entrySet().containsAll(row.identifiers().entrySet()));
            }
        }
        return received(audience, sessionId, payload);
    }

    private ResponseDefinitionBuilder replace(Audience audience, ObjectNode params) {
        Payload payload = payload(params);
        JsonNode session = structured(params, "session");
        if (session == null || !session.hasNonNull("session_id") || !session.hasNonNull("batch_seq")) {
            return invalid("(#100) The parameter session is required and must carry session_id and batch_seq");
        }
        String sessionId = session.get("session_id").asText();
        if (finishedSessions.contains(audience.id() + "/" + sessionId)) {
            return replaceError(1870159, "This replace session has already finished: start a new session");
        }
        ReplaceSession open = replacing.get(audience.id());
        if (open == null) {
            if (session.get("batch_seq").asInt() != 1) {
                return replaceError(1870147, "The first batch of a replace session must have batch_seq 1");
            }
            open = new ReplaceSession(sessionId, new LinkedHashMap<>());
            replacing.put(audience.id(), open);
        } else if (!open.id().equals(sessionId)) {
            return replaceError(1870145, "Another replace session is in progress for this audience: wait until it finishes");
        }
        List<List<String>> log = added.computeIfAbsent(audience.id(), id -> new ArrayList<>());
        for (Row row : payload.rows()) {
            if (!keepRows) {
                break;
            }
            log.add(row.values());
            if (row.valid()) {
                open.members().putIfAbsent(row.identifiers(), row.values());
            }
        }
        if (session.path("last_batch_flag").asBoolean(false)) {
            members.put(audience.id(), new LinkedHashMap<>(open.members()));
            replacing.remove(audience.id());
            finishedSessions.add(audience.id() + "/" + sessionId);
        }
        return received(audience, sessionId, payload);
    }

    /** Parses and checks {@code payload}; rejects the request as Meta does for structural problems. */
    private static Payload payload(ObjectNode params) {
        JsonNode payload = structured(params, "payload");
        if (payload == null || !payload.isObject()) {
            throw new Rejected(invalid("(#100) The parameter payload is required"));
        }
        List<String> schema = schema(payload.get("schema"));
        JsonNode data = payload.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new Rejected(invalid(NO_SCHEMA_MATCH));
        }
        if (data.size() > MAX_ROWS) {
            throw new Rejected(invalid("(#100) Too many users in one request: at most " + MAX_ROWS + " rows per call"));
        }
        List<Row> rows = new ArrayList<>();
        Map<String, String> samples = new LinkedHashMap<>();
        for (JsonNode item : data) {
            List<String> values = new ArrayList<>();
            if (item.isArray()) {
                item.forEach(cell -> values.add(cell.isValueNode() ? cell.asText() : cell.toString()));
            } else if (item.isValueNode() && schema.size() == 1) {
                values.add(item.asText());
            }
            if (values.size() != schema.size()) {
                throw new Rejected(invalid(NO_SCHEMA_MATCH));
            }
            rows.add(row(schema, values, samples));
        }
        return new Payload(rows, samples);
    }

    private static List<String> schema(JsonNode schema) {
        List<String> keys = new ArrayList<>();
        if (schema != null && schema.isTextual()) {
            keys.add(schema.asText());
        } else if (schema != null && schema.isArray()) {
            schema.forEach(key -> keys.add(key.asText()));
        }
        if (keys.isEmpty()) {
            throw new Rejected(invalid("(#100) The parameter payload[schema] is required"));
        }
        for (String key : keys) {
            if (!HASHED.contains(key) && !UNHASHED_IDS.contains(key) && !NOT_IDS.contains(key)) {
                throw new Rejected(invalid("(#100) Invalid schema field: " + key));
            }
        }
        return keys;
    }

    /** A row is invalid when a hashed column holds something other than a lower-case SHA-256, or it has no identifier. */
    private static Row row(List<String> schema, List<String> values, Map<String, String> samples) {
        Map<String, String> identifiers = new LinkedHashMap<>();
        boolean valid = true;
        for (int i = 0; i < schema.size(); i++) {
            String key = schema.get(i);
            String value = values.get(i);
            if (value.isEmpty() || NOT_IDS.contains(key)) {
                continue;
            }
            identifiers.put(key, value);
            if (HASHED.contains(key) && !isSha256Hex(value)) {
                valid = false;
                if (samples.size() < 10) {
                    samples.putIfAbsent(value, key + " is not a SHA-256 hash");
                }
            } else if (REFUSED.contains(value)) {
                valid = false;
                if (samples.size() < 10) {
                    samples.putIfAbsent(value, key + " could not be used");
                }
            }
        }
        if (identifiers.isEmpty()) {
            valid = false;
            if (samples.size() < 10) {
                samples.putIfAbsent(values.toString(), "no identifier");
            }
        }
        return new Row(List.copyOf(values), identifiers, valid);
    }

    private static ResponseDefinitionBuilder received(Audience audience, String sessionId, Payload payload) {
        ObjectNode samples = object();
        payload.invalidSamples().forEach(samples::put);
        ObjectNode body = object().put("audience_id", audience.id()).put("session_id", sessionId)
                .put("num_received", payload.rows().size())
                .put("num_invalid_entries", payload.rows().stream().filter(row -> !row.valid()).count());
        body.set("invalid_entry_samples", samples);
        return json(200, body);
    }

    /** Query, form and JSON body parameters in one object, as the Graph API reads them. */
    private static ObjectNode params(Request request) {
        ObjectNode params = object();
        query(request).forEach(params::put);
        if (isForm(request)) {
            decodeForm(request.getBodyAsString()).forEach(params::put);
        } else if (parseJson(request.getBodyAsString()) instanceof ObjectNode body) {
            params.setAll(body);
        }
        return params;
    }

    /** A parameter that is JSON either inline (JSON body) or as a string (query or form). */
    private static JsonNode structured(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        return value != null && value.isTextual() ? parseJson(value.asText()) : value;
    }

    private static String text(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String token(Request request, ObjectNode params) {
        String token = text(params, "access_token");
        String authorization = request.getHeader("Authorization");
        if ((token == null || token.isEmpty()) && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        return token == null || token.isEmpty() ? null : token;
    }

    /** Only the requested {@code fields} (plus {@code id}), as the Graph API returns them. */
    private static ObjectNode select(ObjectNode all, ObjectNode params) {
        String fields = text(params, "fields");
        if (fields == null) {
            return all;
        }
        ObjectNode selected = object();
        selected.set("id", all.get("id"));
        for (String field : fields.split(",")) {
            if (all.has(field.trim())) {
                selected.set(field.trim(), all.get(field.trim()));
            }
        }
        return selected;
    }

    private String usage(Request request, int regainAccessMinutes) {
        Matcher versioned = VERSIONED.matcher(path(request));
        String node = versioned.matches() ? versioned.group(1).split("/")[0] : "";
        Audience audience = audiences.get(node);
        String account = node.startsWith("act_") ? node.substring(4) : audience != null ? audience.adAccountId() : node;
        ObjectNode usage = object();
        usage.putArray(account).addObject().put("type", "custom_audience").put("call_count", 100).put("total_cputime", 25)
                .put("total_time", 25).put("estimated_time_to_regain_access", regainAccessMinutes);
        return usage.toString();
    }

    private static ResponseDefinitionBuilder expiredToken() {
        return error(400, 190, 463, "OAuthException",
                "Error validating access token: Session has expired on Thursday, 26-Nov-26 08:00:00 PST.", false);
    }

    private static ResponseDefinitionBuilder noSuchObject(RequestMethod method, String node) {
        return error(400, 100, 33, "GraphMethodException", "Unsupported " + method.getName().toLowerCase(Locale.ROOT)
                + " request. Object with ID '" + node + "' does not exist, cannot be loaded due to missing permissions, or does not "
                + "support this operation. "
                + "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", false);
    }

    private static ResponseDefinitionBuilder replaceError(int subcode, String detail) {
        return error(400, 2650, subcode, "OAuthException", "(#2650) Failed to update the custom audience: " + detail, false);
    }

    private static ResponseDefinitionBuilder invalid(String message) {
        return error(400, 100, null, "OAuthException", message, false);
    }

    /** The Graph error body of platform-apis.md §1.5. */
    private static ResponseDefinitionBuilder error(int status, int code, Integer subcode, String type, String message,
            boolean transientError) {
        ObjectNode error = object().put("message", message).put("type", type).put("code", code);
        if (subcode != null) {
            error.put("error_subcode", subcode);
        }
        if (transientError) {
            error.put("is_transient", true);
        }
        error.put("fbtrace_id", randomToken(12));
        ObjectNode body = object();
        body.set("error", error);
        return json(status, body);
    }

    private record Row(List<String> values, Map<String, String> identifiers, boolean valid) {
    }

    private record Payload(List<Row> rows, Map<String, String> invalidSamples) {
    }

    private record ReplaceSession(String id, Map<Map<String, String>, List<String>> members) {
    }
}
