package dev.cdp.export.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Google Data Manager API audience members (platform-apis.md §2.1 and §7) under {@code /google/v1/}: a strict proto-JSON
 * reader (unknown names are rejected as googleapis front ends do), fast-fail validation whose
 * {@code BadRequest.fieldViolations} name the member, state per {@code productDestinationId}, and request diagnostics
 * that report PROCESSING first and SUCCESS afterwards. A member is identified by its identifiers, sorted: hashes as
 * lower-case hex, an address as {@code givenNameHash|familyNameHash|regionCode|postalCode}, mobile and user ids as sent;
 * a removal removes every member whose identifiers include all of the removed member's.
 */
public final class GoogleDataManagerStub extends PlatformStub {

    private static final int MAX_MEMBERS = 10_000;
    private static final int MAX_IDENTIFIERS = 10;
    private static final int MAX_DESTINATIONS = 10;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final String PROTO = "type.googleapis.com/google.ads.datamanager.v1.";
    private static final String RPC = "type.googleapis.com/google.rpc.";

    /** The request messages of the discovery document (datamanager.v1.json), as far as audience members need them. */
    private interface Type {
    }

    private record Scalar(String name) implements Type {
    }

    private record Enumeration(String name, List<String> values) implements Type {
    }

    private record Repeated(Type element) implements Type {
    }

    private record Message(String name, Map<String, Type> fields, Map<String, String> oneofs) implements Type {
    }

    private static final Type STRING = new Scalar("TYPE_STRING");
    private static final Type BOOL = new Scalar("TYPE_BOOL");
    private static final Type DOUBLE = new Scalar("TYPE_DOUBLE");
    private static final Message PRODUCT_ACCOUNT = new Message("ProductAccount", Map.of(
            "accountId", STRING,
            "accountType", new Enumeration("AccountType", List.of("ACCOUNT_TYPE_UNSPECIFIED", "GOOGLE_ADS", "DISPLAY_VIDEO_PARTNER",
                    "DISPLAY_VIDEO_ADVERTISER", "DATA_PARTNER", "GOOGLE_ANALYTICS_PROPERTY", "GOOGLE_AD_MANAGER_AUDIENCE_LINK",
                    "FLOODLIGHT_CONFIG")),
            "product", new Enumeration("Product", List.of("PRODUCT_UNSPECIFIED", "GOOGLE_ADS", "DISPLAY_VIDEO_PARTNER",
                    "DISPLAY_VIDEO_ADVERTISER", "DATA_PARTNER"))), Map.of());
    private static final Message DESTINATION = new Message("Destination", Map.of(
            "reference", STRING, "loginAccount", PRODUCT_ACCOUNT, "linkedAccount", PRODUCT_ACCOUNT,
            "operatingAccount", PRODUCT_ACCOUNT, "productDestinationId", STRING), Map.of());
    private static final Enumeration CONSENT_STATUS = new Enumeration("ConsentStatus",
            List.of("CONSENT_STATUS_UNSPECIFIED", "CONSENT_GRANTED", "CONSENT_DENIED"));
    private static final Message CONSENT = new Message("Consent", Map.of("adUserData", CONSENT_STATUS, "adPersonalization",
            CONSENT_STATUS), Map.of());
    private static final Message ADDRESS_INFO = new Message("AddressInfo", Map.of(
            "givenName", STRING, "familyName", STRING, "regionCode", STRING, "postalCode", STRING,
            "addressLine", STRING, "city", STRING, "administrativeArea", STRING), Map.of());
    private static final Message USER_IDENTIFIER = new Message("UserIdentifier", Map.of(
            "emailAddress", STRING, "phoneNumber", STRING, "address", ADDRESS_INFO),
            oneof("identifier", "emailAddress", "phoneNumber", "address"));
    private static final Message AUDIENCE_MEMBER = new Message("AudienceMember", Map.of(
            "destinationReferences", new Repeated(STRING),
            "userData", new Message("UserData", Map.of("userIdentifiers", new Repeated(USER_IDENTIFIER)), Map.of()),
            "mobileData", new Message("MobileData", Map.of("mobileIds", new Repeated(STRING)), Map.of()),
            "userIdData", new Message("UserIdData", Map.of("userId", STRING), Map.of()),
            "consent", CONSENT),
            oneof("data", "userData", "mobileData", "userIdData"));
    private static final Enumeration ENCODING = new Enumeration("Encoding", List.of("ENCODING_UNSPECIFIED", "HEX", "BASE64"));
    private static final Message INGEST = new Message("IngestAudienceMembersRequest", Map.of(
            "destinations", new Repeated(DESTINATION), "audienceMembers", new Repeated(AUDIENCE_MEMBER), "consent", CONSENT,
            "validateOnly", BOOL, "encoding", ENCODING,
            "termsOfService", new Message("TermsOfService", Map.of("customerMatchTermsOfServiceStatus",
                    new Enumeration("TermsOfServiceStatus", List.of("TERMS_OF_SERVICE_STATUS_UNSPECIFIED", "ACCEPTED", "REJECTED"))),
                    Map.of())), Map.of());
    private static final Message DEVICE_INFO = new Message("DeviceInfo", Map.of("userAgent", STRING, "ipAddress", STRING,
            "category", STRING, "languageCode", STRING), Map.of());
    private static final Message EVENT = new Message("Event", Map.ofEntries(
            Map.entry("destinationReferences", new Repeated(STRING)), Map.entry("transactionId", STRING),
            Map.entry("eventTimestamp", STRING), Map.entry("lastUpdatedTimestamp", STRING),
            Map.entry("userData", new Message("UserData", Map.of("userIdentifiers", new Repeated(USER_IDENTIFIER)), Map.of())),
            Map.entry("consent", CONSENT),
            Map.entry("adIdentifiers", new Message("AdIdentifiers", Map.of("sessionAttributes", STRING, "gclid", STRING, "gbraid", STRING,
                    "wbraid", STRING, "landingPageDeviceInfo", DEVICE_INFO), Map.of())),
            Map.entry("currency", STRING), Map.entry("conversionValue", DOUBLE),
            Map.entry("eventSource", new Enumeration("EventSource", List.of("EVENT_SOURCE_UNSPECIFIED", "WEB", "APP", "IN_STORE", "PHONE",
                    "MESSAGE", "OTHER"))),
            Map.entry("eventDeviceInfo", DEVICE_INFO), Map.entry("eventName", STRING), Map.entry("clientId", STRING),
            Map.entry("userId", STRING)), Map.of());
    private static final Message INGEST_EVENTS = new Message("IngestEventsRequest", Map.of(
            "destinations", new Repeated(DESTINATION), "events", new Repeated(EVENT), "consent", CONSENT, "validateOnly", BOOL,
            "encoding", ENCODING), Map.of());
    private static final int MAX_EVENTS = 2_000;
    private static final Pattern CONVERSION_ACTION = Pattern.compile("\\d{1,30}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Message REMOVE = new Message("RemoveAudienceMembersRequest", Map.of(
            "destinations", new Repeated(DESTINATION), "audienceMembers", new Repeated(AUDIENCE_MEMBER), "validateOnly", BOOL,
            "encoding", ENCODING), Map.of());
    private static final Message REMOVE_ALL = new Message("RemoveAllAudienceMembersRequest", Map.of(
            "destinations", new Repeated(DESTINATION), "validateOnly", BOOL), Map.of());

    private final Map<String, Set<List<String>>> members = new HashMap<>();
    private final Map<String, List<List<String>>> ingested = new HashMap<>();
    private final Map<String, List<List<String>>> removed = new HashMap<>();
    private final Map<String, Integer> removeAlls = new HashMap<>();
    private final Map<String, Submitted> requests = new HashMap<>();
    private final Map<String, Integer> polls = new HashMap<>();
    private final Map<String, List<JsonNode>> events = new HashMap<>();
    private int validatedEvents;
    private String uploadMatchRateRange = "MATCH_RATE_RANGE_61_TO_70";

    GoogleDataManagerStub() {
        super("google");
    }

    /** A member as this stub identifies it: its identifiers, sorted. */
    public static List<String> member(String... identifiers) {
        List<String> sorted = new ArrayList<>(List.of(identifiers));
        Collections.sort(sorted);
        return List.copyOf(sorted);
    }

    /** The members now in the user list. */
    public synchronized Set<List<String>> members(String productDestinationId) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(members.getOrDefault(productDestinationId, Set.of())));
    }

    /** Every member of every accepted (not validate-only) ingest for the list, in order, duplicates kept. */
    public synchronized List<List<String>> ingestedMembers(String productDestinationId) {
        return List.copyOf(ingested.getOrDefault(productDestinationId, List.of()));
    }

    /** Every member of every accepted (not validate-only) remove for the list, in order, duplicates kept. */
    public synchronized List<List<String>> removedMembers(String productDestinationId) {
        return List.copyOf(removed.getOrDefault(productDestinationId, List.of()));
    }

    /** How many accepted {@code removeAll} requests named the list. */
    public synchronized int removeAllRequests(String productDestinationId) {
        return removeAlls.getOrDefault(productDestinationId, 0);
    }

    /** Every event of every accepted (not validate-only) {@code events:ingest} to the conversion action, in order. */
    public synchronized List<JsonNode> events(String conversionActionId) {
        return List.copyOf(events.getOrDefault(conversionActionId, List.of()));
    }

    /** How many events were accepted with {@code validateOnly} (checked, not ingested). */
    public synchronized int validatedEvents() {
        return validatedEvents;
    }

    /** The {@code uploadMatchRateRange} that later SUCCESS diagnostics of ingests report (a MATCH_RATE_RANGE_… value). */
    public synchronized void uploadMatchRateRange(String range) {
        uploadMatchRateRange = range;
    }

    /** HTTP 429 RESOURCE_EXHAUSTED, the per-project quota of 300 requests a minute. */
    public void resourceExhaustedNext(int times) {
        failNext(times, request -> {
            ObjectNode info = errorInfo("RATE_LIMIT_EXCEEDED", "googleapis.com");
            ((ObjectNode) info.get("metadata")).put("consumer", "projects/123456789012")
                    .put("quota_limit", "IngestRequestsPerMinutePerProject").put("quota_limit_value", "300");
            return status(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Ingest requests' and limit 'Ingest requests per "
                    + "minute' of service 'datamanager.googleapis.com' for consumer 'project_number:123456789012'.", info);
        });
    }

    /** HTTP 503 UNAVAILABLE. */
    public void unavailableNext(int times) {
        failNext(times, request -> status(503, "UNAVAILABLE", "The service is currently unavailable."));
    }

    /** HTTP 401 UNAUTHENTICATED as for an access token that expired under the client. */
    public void unauthenticatedNext(int times) {
        failNext(times, request -> unauthenticated(true));
    }

    /** Any other google.rpc.Status error, e.g. 403 PERMISSION_DENIED or 409 ABORTED. */
    public void errorNext(int times, int httpStatus, String status, String message) {
        failNext(times, request -> status(httpStatus, status, message));
    }

    @Override
    protected ResponseDefinitionBuilder answer(Request request) {
        String route = request.getMethod().getName() + " " + path(request);
        if (!List.of("POST /v1/audienceMembers:ingest", "POST /v1/audienceMembers:remove", "POST /v1/audienceMembers:removeAll",
                "POST /v1/events:ingest", "GET /v1/requestStatus:retrieve").contains(route)) {
            return html(404, "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n"
                    + "  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>" + path(request)
                    + "</code> was not found on this server.  <ins>That’s all we know.</ins>\n");
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            return unauthenticated(false);
        }
        if (authorization.substring(7).trim().equals("expired")) {
            return unauthenticated(true);
        }
        return switch (route) {
            case "POST /v1/audienceMembers:ingest" -> audienceMembers(read(request, INGEST), true);
            case "POST /v1/audienceMembers:remove" -> audienceMembers(read(request, REMOVE), false);
            case "POST /v1/audienceMembers:removeAll" -> removeAll(read(request, REMOVE_ALL));
            case "POST /v1/events:ingest" -> ingestEvents(read(request, INGEST_EVENTS));
            default -> requestStatus(query(request).get("requestId"));
        };
    }

    @Override
    protected ResponseDefinitionBuilder downAnswer() {
        return status(503, "UNAVAILABLE", "The service is currently unavailable.");
    }

    @Override
    protected void clearState() {
        members.clear();
        ingested.clear();
        removed.clear();
        removeAlls.clear();
        requests.clear();
        polls.clear();
        events.clear();
        validatedEvents = 0;
        uploadMatchRateRange = "MATCH_RATE_RANGE_61_TO_70";
    }

    private ResponseDefinitionBuilder audienceMembers(JsonNode body, boolean ingest) {
        List<JsonNode> destinations = list(body, "destinations");
        List<JsonNode> audienceMembers = list(body, "audienceMembers");
        if (destinations.size() > MAX_DESTINATIONS) {
            return invalidArgument(List.of(new Violation("destinations", "At most " + MAX_DESTINATIONS + " destinations are allowed.",
                    "TOO_MANY_DESTINATIONS")));
        }
        if (audienceMembers.size() > MAX_MEMBERS) {
            return invalidArgument(List.of(new Violation("audience_members", "At most " + MAX_MEMBERS
                    + " audience members are allowed in one request.", "TOO_MANY_AUDIENCE_MEMBERS")));
        }
        List<Violation> violations = new ArrayList<>();
        checkDestinations(destinations, violations);
        if (audienceMembers.isEmpty()) {
            violations.add(new Violation("audience_members", "At least one audience member is required.", "REQUIRED_FIELD_MISSING"));
        }
        String encoding = body.path("encoding").asText("ENCODING_UNSPECIFIED");
        Set<String> kinds = new LinkedHashSet<>();
        audienceMembers.stream().map(GoogleDataManagerStub::kind).filter(kind -> !kind.equals("none")).forEach(kinds::add);
        if (kinds.contains("userData") && encoding.equals("ENCODING_UNSPECIFIED")) {
            violations.add(new Violation("encoding", "The encoding is required for user data.", "REQUIRED_FIELD_MISSING"));
        }
        if (ingest && (kinds.contains("userData") || kinds.contains("mobileData"))
                && !body.path("termsOfService").path("customerMatchTermsOfServiceStatus").asText().equals("ACCEPTED")) {
            violations.add(new Violation("terms_of_service", "The Customer Match terms of service must be accepted.",
                    "TERMS_AND_CONDITIONS_NOT_SIGNED"));
        }
        if (kinds.size() > 1) {
            violations.add(new Violation("audience_members", "All audience members of a request must carry the same type of data.",
                    "MULTIPLE_DATA_TYPES_NOT_ALLOWED"));
        }
        List<List<String>> identities = new ArrayList<>();
        for (int i = 0; i < audienceMembers.size(); i++) {
            identities.add(identity(audienceMembers.get(i), "audience_members[" + i + "]", encoding, violations));
        }
        if (!violations.isEmpty()) {
            return invalidArgument(violations);
        }
        if (body.path("validateOnly").asBoolean(false)) {
            return json(200, object());
        }
        List<long[]> counts = new ArrayList<>();
        for (JsonNode destination : destinations) {
            String list = destination.get("productDestinationId").asText();
            String reference = destination.path("reference").asText("");
            long records = 0;
            long identifiers = 0;
            for (int i = 0; i < audienceMembers.size(); i++) {
                List<JsonNode> references = list(audienceMembers.get(i), "destinationReferences");
                if (!references.isEmpty() && references.stream().noneMatch(ref -> ref.asText().equals(reference))) {
                    continue;
                }
                List<String> identity = identities.get(i);
                records++;
                identifiers += identity.size();
                Set<List<String>> current = members.computeIfAbsent(list, id -> new LinkedHashSet<>());
                if (ingest) {
                    current.add(identity);
                    ingested.computeIfAbsent(list, id -> new ArrayList<>()).add(identity);
                } else {
                    current.removeIf(member -> member.containsAll(identity));
                    removed.computeIfAbsent(list, id -> new ArrayList<>()).add(identity);
                }
            }
            counts.add(new long[] {records, identifiers});
        }
        return submitted(new Submitted(ingest ? Operation.INGEST : Operation.REMOVE, kinds.iterator().next(), destinations, counts));
    }

    /**
     * Conversions (fast-fail): at most 2,000 events; each with an RFC 3339 {@code eventTimestamp} no later than now,
     * user identifiers (at most 10, hashed in the request's encoding) or a click id, and an upper-case currency; each
     * destination's {@code productDestinationId} a conversion action id (digits).
     */
    private ResponseDefinitionBuilder ingestEvents(JsonNode body) {
        List<JsonNode> destinations = list(body, "destinations");
        List<JsonNode> received = list(body, "events");
        if (received.size() > MAX_EVENTS) {
            return invalidArgument(List.of(new Violation("events", "At most " + MAX_EVENTS + " events are allowed in one request.",
                    "TOO_MANY_EVENTS")));
        }
        List<Violation> violations = new ArrayList<>();
        checkDestinations(destinations, violations);
        for (int i = 0; i < destinations.size(); i++) {
            if (!CONVERSION_ACTION.matcher(destinations.get(i).path("productDestinationId").asText("")).matches()) {
                violations.add(new Violation("destinations[" + i + "].product_destination_id", "The conversion action ID is not valid.",
                        "INVALID_CONVERSION_ACTION_ID"));
            }
        }
        if (received.isEmpty()) {
            violations.add(new Violation("events", "At least one event is required.", "REQUIRED_FIELD_MISSING"));
        }
        String encoding = body.path("encoding").asText("ENCODING_UNSPECIFIED");
        for (int i = 0; i < received.size(); i++) {
            JsonNode event = received.get(i);
            String path = "events[" + i + "]";
            try {
                if (java.time.OffsetDateTime.parse(event.path("eventTimestamp").asText("")).toInstant().isAfter(java.time.Instant.now().plusSeconds(60))) {
                    violations.add(new Violation(path + ".event_timestamp", "The event time is not within the acceptable time window.",
                            "EVENT_TIME_INVALID"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                violations.add(required(path + ".event_timestamp"));
            }
            List<JsonNode> identifiers = list(event.path("userData"), "userIdentifiers");
            JsonNode ads = event.path("adIdentifiers");
            if (identifiers.isEmpty() && ads.path("gclid").asText("").isEmpty() && ads.path("gbraid").asText("").isEmpty()
                    && ads.path("wbraid").asText("").isEmpty()) {
                violations.add(new Violation(path, "No user identifiers or ad identifiers were provided.", "NO_IDENTIFIERS_PROVIDED"));
            }
            if (identifiers.size() > MAX_IDENTIFIERS) {
                violations.add(new Violation(path + ".user_data.user_identifiers", "At most " + MAX_IDENTIFIERS
                        + " user identifiers are allowed.", "TOO_MANY_USER_IDENTIFIERS"));
            }
            if (!identifiers.isEmpty() && encoding.equals("ENCODING_UNSPECIFIED")) {
                violations.add(new Violation("encoding", "The encoding is required for user data.", "REQUIRED_FIELD_MISSING"));
            }
            for (int j = 0; j < identifiers.size(); j++) {
                identifier(identifiers.get(j), path + ".user_data.user_identifiers[" + j + "]", encoding, violations, new ArrayList<>());
            }
            if (event.has("currency") && !CURRENCY.matcher(event.get("currency").asText()).matches()) {
                violations.add(new Violation(path + ".currency", "The currency code is not valid.", "INVALID_CURRENCY_CODE"));
            }
        }
        if (!violations.isEmpty()) {
            return invalidArgument(violations);
        }
        if (body.path("validateOnly").asBoolean(false)) {
            validatedEvents += received.size();
            return json(200, object());
        }
        for (JsonNode destination : destinations) {
            events.computeIfAbsent(destination.get("productDestinationId").asText(), id -> new ArrayList<>()).addAll(received);
        }
        List<long[]> counts = destinations.stream().map(destination -> new long[] {received.size(), 0}).toList();
        return submitted(new Submitted(Operation.INGEST, "events", destinations, counts));
    }

    private ResponseDefinitionBuilder removeAll(JsonNode body) {
        List<JsonNode> destinations = list(body, "destinations");
        if (destinations.size() > MAX_DESTINATIONS) {
            return invalidArgument(List.of(new Violation("destinations", "At most " + MAX_DESTINATIONS + " destinations are allowed.",
                    "TOO_MANY_DESTINATIONS")));
        }
        List<Violation> violations = new ArrayList<>();
        checkDestinations(destinations, violations);
        if (!violations.isEmpty()) {
            return invalidArgument(violations);
        }
        if (body.path("validateOnly").asBoolean(false)) {
            return json(200, object());
        }
        for (JsonNode destination : destinations) {
            String list = destination.get("productDestinationId").asText();
            members.remove(list);
            removeAlls.merge(list, 1, Integer::sum);
        }
        return submitted(new Submitted(Operation.REMOVE_ALL, null, destinations, List.of()));
    }

    private ResponseDefinitionBuilder submitted(Submitted submitted) {
        String requestId = UUID.randomUUID().toString();
        requests.put(requestId, submitted);
        return json(200, object().put("requestId", requestId));
    }

    /** The diagnostics of an accepted request: PROCESSING on the first call, SUCCESS on every later one. */
    private ResponseDefinitionBuilder requestStatus(String requestId) {
        if (requestId == null || requestId.isEmpty()) {
            return invalidArgument(List.of(new Violation("request_id", "The request ID is required.", "REQUIRED_FIELD_MISSING")));
        }
        Submitted submitted = requests.get(requestId);
        if (submitted == null) {
            return status(404, "NOT_FOUND", "Request ID " + requestId + " not found.");
        }
        boolean processing = polls.merge(requestId, 1, Integer::sum) == 1;
        ObjectNode body = object();
        ArrayNode statuses = body.putArray("requestStatusPerDestination");
        for (int i = 0; i < submitted.destinations().size(); i++) {
            ObjectNode status = statuses.addObject();
            status.set("destination", submitted.destinations().get(i));
            status.put("requestStatus", processing ? "PROCESSING" : "SUCCESS");
            if (processing) {
                continue;
            }
            if (submitted.operation() == Operation.REMOVE_ALL) {
                status.putObject("removeAllAudienceMembersStatus");
                continue;
            }
            boolean ingest = submitted.operation() == Operation.INGEST;
            ObjectNode counts = status.putObject(ingest ? "audienceMembersIngestionStatus" : "audienceMembersRemovalStatus")
                    .putObject(submitted.kind() + (ingest ? "IngestionStatus" : "RemovalStatus"))
                    .put("recordCount", String.valueOf(submitted.counts().get(i)[0]))
                    .put(countField(submitted.kind()), String.valueOf(submitted.counts().get(i)[1]));
            if (ingest && submitted.kind().equals("userData")) {
                counts.put("uploadMatchRateRange", uploadMatchRateRange);
            }
        }
        return json(200, body);
    }

    private static String countField(String kind) {
        return switch (kind) {
            case "userData" -> "userIdentifierCount";
            case "mobileData" -> "mobileIdCount";
            default -> "userIdCount";
        };
    }

    private static void checkDestinations(List<JsonNode> destinations, List<Violation> violations) {
        if (destinations.isEmpty()) {
            violations.add(new Violation("destinations", "At least one destination is required.", "REQUIRED_FIELD_MISSING"));
        }
        for (int i = 0; i < destinations.size(); i++) {
            JsonNode destination = destinations.get(i);
            String path = "destinations[" + i + "]";
            JsonNode account = destination.path("operatingAccount");
            if (!account.isObject()) {
                violations.add(required(path + ".operating_account"));
            } else {
                if (account.path("accountId").asText("").isEmpty()) {
                    violations.add(required(path + ".operating_account.account_id"));
                }
                if (account.path("accountType").asText("ACCOUNT_TYPE_UNSPECIFIED").equals("ACCOUNT_TYPE_UNSPECIFIED")
                        && account.path("product").asText("PRODUCT_UNSPECIFIED").equals("PRODUCT_UNSPECIFIED")) {
                    violations.add(required(path + ".operating_account.account_type"));
                }
            }
            if (destination.path("productDestinationId").asText("").isEmpty()) {
                violations.add(required(path + ".product_destination_id"));
            }
        }
    }

    private static String kind(JsonNode member) {
        for (String kind : List.of("userData", "mobileData", "userIdData")) {
            if (member.hasNonNull(kind)) {
                return kind;
            }
        }
        return "none";
    }

    /** Checks one member and returns its identity; adds a violation for each problem. */
    private static List<String> identity(JsonNode member, String path, String encoding, List<Violation> violations) {
        List<String> identity = new ArrayList<>();
        switch (kind(member)) {
            case "userData" -> {
                List<JsonNode> identifiers = list(member.get("userData"), "userIdentifiers");
                String listPath = path + ".user_data.user_identifiers";
                if (identifiers.isEmpty()) {
                    violations.add(required(listPath));
                } else if (identifiers.size() > MAX_IDENTIFIERS) {
                    violations.add(new Violation(listPath, "At most " + MAX_IDENTIFIERS + " user identifiers are allowed per member.",
                            "TOO_MANY_USER_IDENTIFIERS"));
                }
                for (int j = 0; j < identifiers.size(); j++) {
                    identifier(identifiers.get(j), listPath + "[" + j + "]", encoding, violations, identity);
                }
            }
            case "mobileData" -> {
                list(member.get("mobileData"), "mobileIds").forEach(id -> identity.add(id.asText()));
                if (identity.isEmpty()) {
                    violations.add(required(path + ".mobile_data.mobile_ids"));
                }
            }
            case "userIdData" -> {
                String userId = member.get("userIdData").path("userId").asText("");
                if (userId.isEmpty()) {
                    violations.add(required(path + ".user_id_data.user_id"));
                }
                identity.add(userId);
            }
            default -> violations.add(required(path));
        }
        Collections.sort(identity);
        return List.copyOf(identity);
    }

    private static void identifier(JsonNode identifier, String path, String encoding, List<Violation> violations, List<String> identity) {
        if (!identifier.path("emailAddress").asText("").isEmpty()) {
            identity.add(hash(identifier.get("emailAddress").asText(), path + ".email_address", encoding, violations));
        } else if (!identifier.path("phoneNumber").asText("").isEmpty()) {
            identity.add(hash(identifier.get("phoneNumber").asText(), path + ".phone_number", encoding, violations));
        } else if (identifier.path("address").isObject()) {
            JsonNode address = identifier.get("address");
            List<String> parts = new ArrayList<>();
            for (String field : List.of("givenName", "familyName", "regionCode", "postalCode")) {
                String value = address.path(field).asText("");
                String fieldPath = path + ".address." + snake(field);
                if (value.isEmpty()) {
                    violations.add(required(fieldPath));
                }
                parts.add(field.endsWith("Name") && !value.isEmpty() ? hash(value, fieldPath, encoding, violations) : value);
            }
            identity.add(String.join("|", parts));
        } else {
            violations.add(required(path));
        }
    }

    /** A hashed value checked against the request's encoding, returned as lower-case hex. */
    private static String hash(String value, String path, String encoding, List<Violation> violations) {
        String hex;
        if (encoding.equals("HEX")) {
            if (!HEX.matcher(value).matches()) {
                violations.add(new Violation(path, "The value is not valid hex.", "INVALID_HEX_ENCODING"));
                return value;
            }
            hex = value.toLowerCase(Locale.ROOT);
        } else if (encoding.equals("BASE64")) {
            try {
                hex = HexFormat.of().formatHex(Base64.getDecoder().decode(value));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(path, "The value is not valid base64.", "INVALID_BASE64_ENCODING"));
                return value;
            }
        } else {
            return value;
        }
        if (hex.length() != 64 || REFUSED.contains(hex)) {
            violations.add(new Violation(path, "The value is not a SHA-256 hash.", "INVALID_SHA256_FORMAT"));
        }
        return hex;
    }

    /** The body read as the proto JSON parser reads it: unknown names, wrong types and doubly set oneofs are rejected. */
    private static JsonNode read(Request request, Message type) {
        JsonNode body = parseJson(request.getBodyAsString());
        if (body == null || !body.isObject()) {
            throw new Rejected(parseError(List.of(new Violation(null, "Invalid JSON payload received. Unexpected token.", null))));
        }
        List<Violation> violations = new ArrayList<>();
        check(body, type, "", violations);
        if (!violations.isEmpty()) {
            throw new Rejected(parseError(violations));
        }
        return camelCase(body);
    }

    private static void check(JsonNode node, Type type, String path, List<Violation> violations) {
        if (node.isNull()) {
            return;
        }
        if (type instanceof Repeated repeated) {
            if (!node.isArray()) {
                violations.add(invalidValue(path, repeated.element(), node));
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), repeated.element(), path + "[" + i + "]", violations);
            }
        } else if (type instanceof Message message) {
            if (!node.isObject()) {
                violations.add(invalidValue(path, message, node));
                return;
            }
            Map<String, String> setOneofs = new HashMap<>();
            node.fields().forEachRemaining(field -> {
                String name = camel(field.getKey());
                Type fieldType = message.fields().get(name);
                if (fieldType == null) {
                    violations.add(new Violation(path.isEmpty() ? null : path, "Invalid JSON payload received. Unknown name \""
                            + field.getKey() + "\"" + (path.isEmpty() ? "" : " at '" + path + "'") + ": Cannot find field.", null));
                    return;
                }
                String oneof = message.oneofs().get(name);
                if (oneof != null && !field.getValue().isNull() && setOneofs.putIfAbsent(oneof, name) != null) {
                    violations.add(new Violation(path.isEmpty() ? null : path, "Invalid JSON payload received. Oneof field '" + oneof
                            + "' is already set. Cannot set '" + field.getKey() + "'", null));
                }
                check(field.getValue(), fieldType, (path.isEmpty() ? "" : path + ".") + snake(name), violations);
            });
        } else if (type instanceof Enumeration enumeration) {
            boolean known = node.isTextual() ? enumeration.values().contains(node.asText())
                    : node.canConvertToInt() && node.asInt() >= 0 && node.asInt() < enumeration.values().size();
            if (!known) {
                violations.add(invalidValue(path, enumeration, node));
            }
        } else if (type == BOOL ? !node.isBoolean() : type == DOUBLE ? !node.isNumber() : !node.isTextual()) {
            violations.add(invalidValue(path, type, node));
        }
    }

    private static Violation invalidValue(String path, Type type, JsonNode value) {
        String typeName = type instanceof Scalar scalar ? scalar.name()
                : PROTO + (type instanceof Message message ? message.name() : ((Enumeration) type).name());
        return new Violation(path, "Invalid value at '" + path + "' (" + typeName + "), " + value, null);
    }

    private static Map<String, String> oneof(String name, String... fields) {
        Map<String, String> oneofs = new HashMap<>();
        for (String field : fields) {
            oneofs.put(field, name);
        }
        return oneofs;
    }

    private static JsonNode camelCase(JsonNode node) {
        if (node.isObject()) {
            ObjectNode camel = object();
            node.fields().forEachRemaining(field -> camel.set(camel(field.getKey()), camelCase(field.getValue())));
            return camel;
        }
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(element -> array.add(camelCase(element)));
            return array;
        }
        return node;
    }

    private static String camel(String name) {
        StringBuilder camel = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length()) {
                camel.append(Character.toUpperCase(name.charAt(++i)));
            } else {
                camel.append(c);
            }
        }
        return camel.toString();
    }

    private static String snake(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    private static List<JsonNode> list(JsonNode node, String field) {
        List<JsonNode> list = new ArrayList<>();
        node.path(field).forEach(list::add);
        return list;
    }

    private static Violation required(String path) {
        return new Violation(path, "The field is required.", "REQUIRED_FIELD_MISSING");
    }

    private static ResponseDefinitionBuilder unauthenticated(boolean expired) {
        ObjectNode info = errorInfo(expired ? "ACCESS_TOKEN_EXPIRED" : "CREDENTIALS_MISSING", "googleapis.com");
        String message = expired ? "Request had invalid authentication credentials."
                : "Request is missing required authentication credential.";
        return status(401, "UNAUTHENTICATED", message + " Expected OAuth 2 access token, login cookie or other valid authentication "
                + "credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.", info)
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\""
                        + (expired ? ", error=\"invalid_token\"" : ""));
    }

    /** What the JSON front end answers: every problem in the message and one field violation each. */
    private static ResponseDefinitionBuilder parseError(List<Violation> violations) {
        ObjectNode badRequest = object().put("@type", RPC + "BadRequest");
        ArrayNode fieldViolations = badRequest.putArray("fieldViolations");
        StringBuilder message = new StringBuilder();
        for (Violation violation : violations) {
            ObjectNode fieldViolation = fieldViolations.addObject();
            if (violation.field() != null) {
                fieldViolation.put("field", violation.field());
            }
            fieldViolation.put("description", violation.description());
            message.append(message.length() == 0 ? "" : "\n").append(violation.description());
        }
        return status(400, "INVALID_ARGUMENT", message.toString(), badRequest);
    }

    /** What Data Manager answers to a request that fails validation (platform-apis.md §2.1, as RudderStack captured it). */
    private static ResponseDefinitionBuilder invalidArgument(List<Violation> violations) {
        String requestId = "t-" + randomToken(12);
        ObjectNode info = errorInfo("INVALID_ARGUMENT", "datamanager.googleapis.com");
        ((ObjectNode) info.get("metadata")).removeAll().put("requestId", requestId);
        ObjectNode badRequest = object().put("@type", RPC + "BadRequest");
        ArrayNode fieldViolations = badRequest.putArray("fieldViolations");
        violations.forEach(violation -> fieldViolations.addObject().put("field", violation.field())
                .put("description", violation.description()).put("reason", violation.reason()));
        return status(400, "INVALID_ARGUMENT", "There was a problem with the request.", info,
                object().put("@type", RPC + "RequestInfo").put("requestId", requestId), badRequest);
    }

    private static ObjectNode errorInfo(String reason, String domain) {
        ObjectNode info = object().put("@type", RPC + "ErrorInfo").put("reason", reason).put("domain", domain);
        info.putObject("metadata").put("service", "datamanager.googleapis.com");
        return info;
    }

    /** A google.rpc.Status error: {@code error.code} is the HTTP status, {@code error.status} the canonical code. */
    private static ResponseDefinitionBuilder status(int httpStatus, String status, String message, ObjectNode... details) {
        ObjectNode error = object().put("code", httpStatus).put("message", message).put("status", status);
        if (details.length > 0) {
            error.putArray("details").addAll(List.of(details));
        }
        ObjectNode body = object();
        body.set("error", error);
        return json(httpStatus, body);
    }

    private record Violation(String field, String description, String reason) {
    }

    private enum Operation { INGEST, REMOVE, REMOVE_ALL }

    /** An accepted request, for its diagnostics: what it did, to which kind of data, and the counts per destination. */
    private record Submitted(Operation operation, String kind, List<JsonNode> destinations, List<long[]> counts) {
    }
}
