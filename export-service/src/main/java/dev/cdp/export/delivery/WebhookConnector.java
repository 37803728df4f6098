package dev.cdp.export.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * Any HTTPS endpoint, signed as the Standard Webhooks specification says (so receivers verify with its libraries):
 * headers {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">} under the {@code whsec_} secret. The body is {@code {"type", "timestamp", "data"}} with
 * {@code type} {@code audience.members.added}, {@code audience.members.removed} or {@code ping}; members carry our
 * customer id and Meta's hashed identifiers. A batch sent again keeps its {@code webhook-id}, so receivers can
 * drop the repeat. 1,000 members a request.
 */
@ApplicationScoped
public class WebhookConnector implements AudienceConnector {

    static final int MAX_ROWS = 1000;
    static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeliveryConfig config;
    private final Map<String, WebhookApi> clients = new ConcurrentHashMap<>();

    public WebhookConnector(DeliveryConfig config) {
        this.config = config;
    }

    /** A new signing secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The key bytes of a {@code whsec_} secret, or null when it is not one. */
    public static byte[] secretKey(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return null;
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            return key.length >= 24 && key.length <= 64 ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.WEBHOOK;
    }

    @Override
    public int maxBatch() {
        return MAX_ROWS;
    }

    @Override
    public PlatformAnswer test(Target target) {
        return send(target, "ping-" + UUID.randomUUID(), "ping", json -> json.writeStringField("message", "CDP Suite connection test"));
    }

    /** A webhook has no audience to create: the sync's audience name identifies it in every delivery. */
    @Override
    public String createAudience(Target target, String name) {
        return name;
    }

    @Override
    public BatchResult add(Target target, AudienceBatch batch) {
        return BatchResult.accepted(send(target, batch.id(), "audience.members.added", json -> members(json, target, batch)), batch.size());
    }

    @Override
    public BatchResult remove(Target target, AudienceBatch batch) {
        return BatchResult.accepted(send(target, batch.id(), "audience.members.removed", json -> members(json, target, batch)), batch.size());
    }

    private static void members(JsonGenerator json, Target target, AudienceBatch batch) throws IOException {
        json.writeStringField("audience", target.audienceId());
        json.writeStringField("syncId", String.valueOf(target.syncId()));
        json.writeArrayFieldStart("members");
        for (int i = 0; i < batch.size(); i++) {
            json.writeStartObject();
            json.writeStringField("customerId", batch.customerIds().get(i).toString());
            String[] row = batch.rows().get(i);
            for (int column = 0; column < row.length; column++) {
                if (row[column] != null) {
                    json.writeStringField(batch.header().get(column), row[column]);
                }
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private PlatformAnswer send(Target target, String id, String type, Responses.JsonWriter data) {
        Instant now = Instant.now();
        byte[] body = Responses.json(json -> {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("timestamp", now.toString());
            json.writeObjectFieldStart("data");
            data.write(json);
            json.writeEndObject();
            json.writeEndObject();
        });
        String timestamp = Long.toString(now.getEpochSecond());
        String signature = "v1," + Base64.getEncoder().encodeToString(new HmacUtils(HmacAlgorithms.HMAC_SHA_256,
                secretKey(target.credential("signingSecret"))).hmac(concat(id + "." + timestamp + ".", body)));
        WebhookApi client = clients.computeIfAbsent(target.setting("url"), url -> Responses.client(WebhookApi.class, url, config.callTimeout()));
        return answer(client.deliver(id, timestamp, signature, body));
    }

    private static byte[] concat(String prefix, byte[] body) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static PlatformAnswer answer(Response response) {
        int status = response.getStatus();
        Duration retryAfter = Responses.retryAfter(response);
        PlatformAnswer answer = PlatformAnswer.of(status, null, response.getHeaderString("X-Request-Id"), Responses.body(response));
        String message = "the webhook answered HTTP " + status;
        if (status / 100 == 2) {
            return answer;
        }
        if (status == 429) {
            throw new DeliveryException.Throttled(message, answer, retryAfter == null ? Duration.ofSeconds(30) : retryAfter);
        }
        if (status == 401 || status == 403) {
            throw new DeliveryException.AuthRefused(message + " (is the signing secret the receiver's?)", answer);
        }
        if (status == 408 || status >= 500) {
            throw new DeliveryException.Transient(message, answer);
        }
        if (status == 404 || status == 410 || status / 100 == 3) {
            throw new DeliveryException.Fatal(message + " (is the URL right? redirects are not followed)", answer);
        }
        throw new DeliveryException.Rejected(message, answer);
    }
}
