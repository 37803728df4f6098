package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Set;

/**
 * TikTok partner audiences: created with {@code /segment/audience/}, members added and deleted with
 * {@code /segment/mapping/} under {@code id_schema ["EMAIL_SHA256", "PHONE_SHA256"]}, 1,000 rows a call (no documented
 * limit: the conservative start platform-apis.md §3.3 advises). Rows take TikTokRows' first email and first phone
 * columns. TikTok answers app errors with HTTP 200: its envelope's {@code code} decides (§3.4).
 */
@ApplicationScoped
public class TikTokConnector implements AudienceConnector {

    static final int MAX_ROWS = 1000;
    /** The TikTokRows columns sent: the trimmed, lower-cased email and the phone as E.164 digits. */
    private static final int EMAIL = 0;
    private static final int PHONE = 2;
    private static final Set<Integer> AUTH_CODES = Set.of(40001, 40102, 40104, 40105, 40106);
    private static final Set<Integer> THROTTLE_CODES = Set.of(40016, 40100, 40133);
    private static final Set<Integer> REJECTED_CODES = Set.of(40000, 40002, 40011);
    private static final Duration THROTTLE_WAIT = Duration.ofSeconds(5);

    private final TikTokApi api;

    public TikTokConnector(DeliveryConfig config) {
        this.api = Responses.client(TikTokApi.class, config.platforms().tiktokUrl(), config.callTimeout());
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TIKTOK;
    }

    @Override
    public int maxBatch() {
        return MAX_ROWS;
    }

    @Override
    public PlatformAnswer test(Target target) {
        return answer(api.advertiser(target.credential("accessToken"), "[\"" + target.setting("advertiserId") + "\"]"));
    }

    @Override
    public String createAudience(Target target, String name) {
        byte[] body = Responses.json(json -> {
            json.writeStartObject();
            json.writeStringField("custom_audience_name", name.length() > 128 ? name.substring(0, 128) : name);
            json.writeStringField("advertiser_id", target.setting("advertiserId"));
            json.writeStringField("action", "create");
            json.writeEndObject();
        });
        PlatformAnswer answer = answer(api.createAudience(target.credential("accessToken"), body));
        String id = answer.body().path("data").path("audience_id").asText("");
        if (id.isEmpty()) {
            throw new DeliveryException.Transient("TikTok created the audience but named no audience_id", answer);
        }
        return id;
    }

    @Override
    public BatchResult add(Target target, AudienceBatch batch) {
        return BatchResult.accepted(answer(api.mapping(target.credential("accessToken"), mapping(target, batch, "add"))), batch.size());
    }

    @Override
    public BatchResult remove(Target target, AudienceBatch batch) {
        return BatchResult.accepted(answer(api.mapping(target.credential("accessToken"), mapping(target, batch, "delete"))), batch.size());
    }

    private static byte[] mapping(Target target, AudienceBatch batch, String action) {
        return Responses.json(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("advertiser_ids");
            json.writeString(target.setting("advertiserId"));
            json.writeEndArray();
            json.writeStringField("action", action);
            json.writeArrayFieldStart("id_schema");
            json.writeString("EMAIL_SHA256");
            json.writeString("PHONE_SHA256");
            json.writeEndArray();
            json.writeArrayFieldStart("batch_data");
            for (String[] row : batch.rows()) {
                json.writeStartArray();
                for (int column : new int[] {EMAIL, PHONE}) {
                    json.writeStartObject();
                    if (row[column] != null) {
                        json.writeStringField("id", row[column]);
                        json.writeArrayFieldStart("audience_ids");
                        json.writeString(target.audienceId());
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The answer, or the {@link DeliveryException} its envelope code means. */
    static PlatformAnswer answer(Response response) {
        int status = response.getStatus();
        JsonNode body = Responses.body(response);
        int code = body.path("code").asInt(-1);
        PlatformAnswer answer = PlatformAnswer.of(status, body.has("code") ? Integer.toString(code) : null, body.path("request_id").asText(null), body);
        String message = "TikTok: " + body.path("message").asText("HTTP " + status) + (body.has("code") ? " (code " + code + ")" : "");
        if (status / 100 != 2 || !body.has("code")) {
            if (status == 404) {
                throw new DeliveryException.Fatal(message, answer);
            }
            throw new DeliveryException.Transient(message, answer); // a 502 or 503 from TikTok's edge, not its API
        }
        if (code == 0 || code == 20001 || code == 40050) {
            return answer; // 20001: partial success; 40050: a repeat of a request TikTok has taken
        }
        if (AUTH_CODES.contains(code)) {
            throw new DeliveryException.AuthRefused(message, answer);
        }
        if (THROTTLE_CODES.contains(code)) {
            throw new DeliveryException.Throttled(message, answer, THROTTLE_WAIT);
        }
        if (REJECTED_CODES.contains(code)) {
            throw new DeliveryException.Rejected(message, answer);
        }
        if (code >= 50000) {
            throw new DeliveryException.Transient(message, answer);
        }
        throw new DeliveryException.Fatal(message, answer); // 40007: the audience or advertiser does not exist; others
    }
}
