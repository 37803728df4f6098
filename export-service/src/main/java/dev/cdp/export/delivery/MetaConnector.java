package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * Meta custom audiences: create ({@code subtype=CUSTOM}, {@code USER_PROVIDED_ONLY}), add and remove
 * ({@code POST}/{@code DELETE /{audience}/users}) and the full upload as a {@code usersreplace} session, 10,000 rows a
 * call, multi-key rows with {@code is_raw} (platform-apis.md §1). Errors are classified by Meta's {@code code} and
 * {@code error_subcode} (§1.5), rate limits by its throttling codes and the {@code X-Business-Use-Case-Usage} header.
 */
@ApplicationScoped
public class MetaConnector implements AudienceConnector {

    static final int MAX_ROWS = 10_000;
    /** Our row format's columns, by their names in Meta's schema. */
    private static final Map<String, String> SCHEMA = Map.of("email", "EMAIL", "phone", "PHONE", "fn", "FN", "ln", "LN", "zip", "ZIP",
            "ct", "CT", "st", "ST", "country", "COUNTRY", "doby", "DOBY", "gen", "GEN");
    private static final Set<Integer> AUTH_CODES = Set.of(10, 102, 190);
    private static final Set<Integer> THROTTLE_CODES = Set.of(4, 17, 32, 341, 613);
    private static final Duration DEFAULT_THROTTLE = Duration.ofSeconds(60);

    private final MetaApi api;
    private final String version;

    public MetaConnector(DeliveryConfig config) {
        this.api = Responses.client(MetaApi.class, config.platforms().metaUrl(), config.callTimeout());
        this.version = config.platforms().metaVersion();
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.META;
    }

    @Override
    public int maxBatch() {
        return MAX_ROWS;
    }

    @Override
    public boolean replacesOnFullUpload() {
        return true;
    }

    @Override
    public PlatformAnswer test(Target target) {
        String token = target.credential("accessToken");
        return answer(api.account(version, target.setting("adAccountId"), "name,account_status", token, proof(target, token)));
    }

    @Override
    public String createAudience(Target target, String name) {
        byte[] body = Responses.json(json -> {
            json.writeStartObject();
            credentials(json, target);
            json.writeStringField("name", name);
            json.writeStringField("subtype", "CUSTOM");
            json.writeStringField("description", "Kept in sync by CDP Suite");
            json.writeStringField("customer_file_source", "USER_PROVIDED_ONLY");
            json.writeEndObject();
        });
        PlatformAnswer answer = answer(api.createAudience(version, target.setting("adAccountId"), body));
        String id = answer.body().path("id").asText("");
        if (id.isEmpty()) {
            throw new DeliveryException.Transient("Meta created the audience but named no id", answer);
        }
        return id;
    }

    @Override
    public BatchResult add(Target target, AudienceBatch batch) {
        byte[] body = body(target, batch);
        Response response = batch.replace() != null ? api.replaceUsers(version, target.audienceId(), body)
                : api.addUsers(version, target.audienceId(), body);
        return result(answer(response), batch.size());
    }

    @Override
    public BatchResult remove(Target target, AudienceBatch batch) {
        return result(answer(api.removeUsers(version, target.audienceId(), body(target, batch))), batch.size());
    }

    private static BatchResult result(PlatformAnswer answer, int rows) {
        JsonNode body = answer.body();
        List<String> samples = new ArrayList<>();
        body.path("invalid_entry_samples").fields().forEachRemaining(entry -> {
            if (samples.size() < 10) {
                samples.add(entry.getKey() + ": " + entry.getValue().asText());
            }
        });
        return new BatchResult(answer, body.path("num_received").asLong(rows), body.path("num_invalid_entries").asLong(0), samples);
    }

    private byte[] body(Target target, AudienceBatch batch) {
        return Responses.json(json -> {
            json.writeStartObject();
            credentials(json, target);
            json.writeObjectFieldStart("payload");
            json.writeArrayFieldStart("schema");
            for (String column : batch.header()) {
                json.writeString(SCHEMA.get(column));
            }
            json.writeEndArray();
            json.writeBooleanField("is_raw", true);
            json.writeArrayFieldStart("data");
            for (String[] row : batch.rows()) {
                json.writeStartArray();
                for (String cell : row) {
                    json.writeString(cell == null ? "" : cell);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
            if (batch.replace() != null) {
                json.writeObjectFieldStart("session");
                json.writeNumberField("session_id", batch.replace().sessionId());
                json.writeNumberField("batch_seq", batch.replace().sequence());
                json.writeBooleanField("last_batch_flag", batch.replace().last());
                json.writeNumberField("estimated_num_total", batch.replace().estimatedTotal());
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    void credentials(com.fasterxml.jackson.core.JsonGenerator json, Target target) throws IOException {
        String token = target.credential("accessToken");
        json.writeStringField("access_token", token);
        String proof = proof(target, token);
        if (proof != null) {
            json.writeStringField("appsecret_proof", proof);
        }
    }

    /** {@code appsecret_proof}: the token signed with the app secret, when the destination has one. */
    private static String proof(Target target, String token) {
        String secret = target.credential("appSecret");
        return secret == null ? null : new HmacUtils(HmacAlgorithms.HMAC_SHA_256, secret).hmacHex(token);
    }

    /** The answer, or the {@link DeliveryException} its error code means (platform-apis.md §1.5, §1.6). */
    static PlatformAnswer answer(Response response) {
        int status = response.getStatus();
        Duration retryAfter = Responses.retryAfter(response);
        String usage = response.getHeaderString("X-Business-Use-Case-Usage");
        String traceHeader = response.getHeaderString("x-fb-trace-id");
        JsonNode body = Responses.body(response);
        JsonNode error = body.path("error");
        String trace = error.path("fbtrace_id").asText(traceHeader);
        if (status / 100 == 2 && error.isMissingNode()) {
            return PlatformAnswer.of(status, null, trace, body);
        }
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String platformCode = error.isMissingNode() ? null : code + (subcode == 0 ? "" : "/" + subcode);
        PlatformAnswer answer = PlatformAnswer.of(status, platformCode, trace, body);
        String message = "Meta: " + (error.isMissingNode() ? "HTTP " + status : error.path("message").asText("error " + platformCode));
        if (AUTH_CODES.contains(code) || (code >= 200 && code <= 299)) {
            return fail(new DeliveryException.AuthRefused(message, answer));
        }
        if (status == 429 || THROTTLE_CODES.contains(code) || (code >= 80000 && code <= 80014)) {
            return fail(new DeliveryException.Throttled(message, answer, throttleWait(retryAfter, usage)));
        }
        if (code == 368) {
            return fail(new DeliveryException.Throttled(message, answer, Duration.ofMinutes(5)));
        }
        if (code == 2650 && subcode == 1870145) {
            return fail(new DeliveryException.Transient(message + " (a replace is still running)", answer));
        }
        if (code == 105 || (code == 100 && subcode == 0 && status == 400)) {
            return fail(new DeliveryException.Rejected(message, answer)); // the rows: too many parameters or not matching the schema
        }
        if (code == 100 || code == 2650 || subcode == 1487301 || subcode == 1487366) {
            return fail(new DeliveryException.Fatal(message, answer)); // the audience is missing, flagged, deleted or not shared
        }
        return fail(new DeliveryException.Transient(message, answer)); // 1, 2, 5xx, an HTML page, a code not known: bounded retries
    }

    /** How long Meta asks to wait: {@code Retry-After}, or the usage header's {@code estimated_time_to_regain_access} (minutes). */
    static Duration throttleWait(Duration retryAfter, String usageHeader) {
        if (retryAfter != null) {
            return retryAfter;
        }
        if (usageHeader != null) {
            try {
                long minutes = 0;
                for (JsonNode account : Responses.JSON.readTree(usageHeader)) {
                    for (JsonNode usage : account) {
                        minutes = Math.max(minutes, usage.path("estimated_time_to_regain_access").asLong(0));
                    }
                }
                return minutes > 0 ? Duration.ofMinutes(minutes) : Duration.ofSeconds(5);
            } catch (IOException | RuntimeException unreadable) {
                return DEFAULT_THROTTLE;
            }
        }
        return DEFAULT_THROTTLE;
    }

    private static PlatformAnswer fail(DeliveryException e) {
        throw e;
    }
}
