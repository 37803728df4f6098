package dev.cdp.export.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google Customer Match through the Data Manager API: {@code audienceMembers:ingest} and {@code :remove}, 10,000
 * members a call, each member's identifiers in one {@code userData} (email, phone, and the address as
 * {@code address}: hashed names, clear region and postal code), HEX encoding and the Customer Match terms accepted.
 * Only members with advertising consent are sent, so both consent signals are {@code CONSENT_GRANTED}. The API creates
 * no user lists: a sync names its list. Authentication is an access token, or a refresh token exchanged (and cached)
 * for one. Errors follow google.rpc.Status (§2.1); the API rejects a whole request for one bad member.
 */
@ApplicationScoped
public class GoogleConnector implements AudienceConnector {

    static final int MAX_ROWS = 10_000;
    private static final Duration DEFAULT_THROTTLE = Duration.ofSeconds(10);

    private final GoogleDataManagerApi api;
    private final GoogleOAuthApi tokens;
    private final Map<UUID, Token> cached = new ConcurrentHashMap<>();

    private record Token(String value, Instant expiresAt, String refreshToken) {
    }

    public GoogleConnector(DeliveryConfig config) {
        this.api = Responses.client(GoogleDataManagerApi.class, config.platforms().googleUrl(), config.callTimeout());
        this.tokens = Responses.client(GoogleOAuthApi.class, config.platforms().googleTokenUrl(), config.callTimeout());
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.GOOGLE;
    }

    @Override
    public int maxBatch() {
        return MAX_ROWS;
    }

    /** Reads the status of a request id that does not exist: it needs valid credentials and changes nothing. */
    @Override
    public PlatformAnswer test(Target target) {
        Response response = api.requestStatus(bearer(target), UUID.randomUUID().toString());
        int status = response.getStatus();
        if (status == 400 || status == 404) {
            // The credentials were taken; only the made-up request id was not found.
            return PlatformAnswer.of(status, "NOT_FOUND", null, Responses.body(response));
        }
        return answer(response);
    }

    @Override
    public String createAudience(Target target, String name) {
        throw new DeliveryException.Fatal("The Data Manager API does not create user lists: create the Customer Match list in Google Ads "
                + "and give its id as the sync's platformAudienceId", null);
    }

    @Override
    public BatchResult add(Target target, AudienceBatch batch) {
        byte[] body = Responses.json(json -> {
            json.writeStartObject();
            destinations(json, target);
            members(json, batch, true);
            json.writeStringField("encoding", "HEX");
            json.writeObjectFieldStart("termsOfService");
            json.writeStringField("customerMatchTermsOfServiceStatus", "ACCEPTED");
            json.writeEndObject();
            json.writeBooleanField("validateOnly", false);
            json.writeEndObject();
        });
        return BatchResult.accepted(answer(api.ingest(bearer(target), body)), batch.size());
    }

    @Override
    public BatchResult remove(Target target, AudienceBatch batch) {
        byte[] body = Responses.json(json -> {
            json.writeStartObject();
            destinations(json, target);
            members(json, batch, false);
            json.writeStringField("encoding", "HEX");
            json.writeBooleanField("validateOnly", false);
            json.writeEndObject();
        });
        return BatchResult.accepted(answer(api.remove(bearer(target), body)), batch.size());
    }

    static void destinations(JsonGenerator json, Target target) throws IOException {
        json.writeArrayFieldStart("destinations");
        json.writeStartObject();
        account(json, "operatingAccount", target.settings().getOrDefault("operatingAccountType", "GOOGLE_ADS"), target.setting("operatingAccountId"));
        if (target.setting("loginAccountId") != null) {
            account(json, "loginAccount", target.settings().getOrDefault("loginAccountType", "GOOGLE_ADS"), target.setting("loginAccountId"));
        }
        json.writeStringField("productDestinationId", target.audienceId());
        json.writeEndObject();
        json.writeEndArray();
    }

    static void account(JsonGenerator json, String field, String type, String id) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeStringField("accountType", type);
        json.writeStringField("accountId", id);
        json.writeEndObject();
    }

    /** Rows in GoogleRows' columns: Email, Phone, First Name, Last Name, Country, Zip (the address is all four or none). */
    private static void members(JsonGenerator json, AudienceBatch batch, boolean withConsent) throws IOException {
        json.writeArrayFieldStart("audienceMembers");
        for (String[] row : batch.rows()) {
            json.writeStartObject();
            json.writeObjectFieldStart("userData");
            json.writeArrayFieldStart("userIdentifiers");
            if (row[0] != null) {
                json.writeStartObject();
                json.writeStringField("emailAddress", row[0]);
                json.writeEndObject();
            }
            if (row[1] != null) {
                json.writeStartObject();
                json.writeStringField("phoneNumber", row[1]);
                json.writeEndObject();
            }
            if (row[2] != null) {
                json.writeStartObject();
                json.writeObjectFieldStart("address");
                json.writeStringField("givenName", row[2]);
                json.writeStringField("familyName", row[3]);
                json.writeStringField("regionCode", row[4]);
                json.writeStringField("postalCode", row[5]);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            if (withConsent) {
                json.writeObjectFieldStart("consent");
                json.writeStringField("adUserData", "CONSENT_GRANTED");
                json.writeStringField("adPersonalization", "CONSENT_GRANTED");
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    String bearer(Target target) {
        String access = target.credential("accessToken");
        if (target.credential("refreshToken") == null) {
            return "Bearer " + access;
        }
        Token token = cached.get(target.destinationId());
        if (token == null || !token.refreshToken().equals(target.credential("refreshToken")) || Instant.now().isAfter(token.expiresAt())) {
            token = refresh(target);
            cached.put(target.destinationId(), token);
        }
        return "Bearer " + token.value();
    }

    private Token refresh(Target target) {
        Response response = tokens.refresh("refresh_token", target.credential("refreshToken"), target.credential("clientId"),
                target.credential("clientSecret"));
        int status = response.getStatus();
        JsonNode body = Responses.body(response);
        PlatformAnswer answer = PlatformAnswer.of(status, body.path("error").asText(null), null, body);
        if (status / 100 != 2 || !body.path("access_token").isTextual()) {
            if (status == 400 || status == 401) {
                throw new DeliveryException.AuthRefused("Google refused the refresh token: " + body.path("error").asText("HTTP " + status), answer);
            }
            throw new DeliveryException.Transient("Google's token endpoint answered HTTP " + status, answer);
        }
        // Renewed a minute early, so no call starts with a token about to lapse.
        long seconds = Math.max(60, body.path("expires_in").asLong(3600)) - 60;
        return new Token(body.path("access_token").asText(), Instant.now().plusSeconds(seconds), target.credential("refreshToken"));
    }

    /** The answer, or the {@link DeliveryException} its google.rpc.Status means. */
    static PlatformAnswer answer(Response response) {
        int status = response.getStatus();
        Duration retryAfter = Responses.retryAfter(response);
        JsonNode body = Responses.body(response);
        JsonNode error = body.path("error");
        String requestId = body.path("requestId").asText(null);
        for (JsonNode detail : error.path("details")) {
            if (detail.path("requestId").isTextual()) {
                requestId = detail.path("requestId").asText();
            }
        }
        String reason = error.path("status").asText(null);
        PlatformAnswer answer = PlatformAnswer.of(status, reason, requestId, body);
        if (status / 100 == 2) {
            return answer;
        }
        String message = "Google: " + error.path("message").asText("HTTP " + status) + violations(error);
        if (status == 401 || status == 403) {
            throw new DeliveryException.AuthRefused(message, answer);
        }
        if (status == 429) {
            throw new DeliveryException.Throttled(message, answer, retryAfter == null ? DEFAULT_THROTTLE : retryAfter);
        }
        if (status == 400 && (message.contains("audience_members") || message.contains("events"))) {
            throw new DeliveryException.Rejected(message, answer); // fast-fail: one bad member or event refused them all
        }
        if (status == 400 || status == 404) {
            throw new DeliveryException.Fatal(message, answer); // the list, the account or the request itself is wrong
        }
        throw new DeliveryException.Transient(message, answer); // 409 ABORTED, 5xx, DEADLINE_EXCEEDED
    }

    private static String violations(JsonNode error) {
        StringBuilder text = new StringBuilder();
        for (JsonNode detail : error.path("details")) {
            for (JsonNode violation : detail.path("fieldViolations")) {
                if (text.length() < 300) {
                    text.append(text.length() == 0 ? " (" : "; ").append(violation.path("field").asText()).append(": ")
                            .append(violation.path("reason").asText(violation.path("description").asText()));
                }
            }
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }
}
