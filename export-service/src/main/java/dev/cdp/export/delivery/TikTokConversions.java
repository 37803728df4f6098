package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.hash.Hasher;
import dev.cdp.export.platform.TikTokNormalizers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * TikTok's Events API 2.0 (platform-apis.md §5, ad-platforms.md §4.2): {@code POST /event/track/} with
 * {@code event_source "web"} and the pixel code, up to 1,000 events. {@code user} carries arrays of hashes (the email
 * trimmed and lower-cased, the phone in E.164 with {@code +}, the customer and user ids), {@code ttclid}, {@code ttp},
 * IP address, user agent and locale in clear. {@code content_ids} become {@code contents}; the other parameters go to
 * {@code properties} as they are. TikTok documents no window for {@code event_time}: 7 days, as Meta, is assumed.
 */
@ApplicationScoped
public class TikTokConversions implements ConversionConnector {

    private static final Spec SPEC = new Spec(DestinationKind.TIKTOK, "pixelCode", 1000, Duration.ofDays(7));

    private final TikTokApi api;

    public TikTokConversions(DeliveryConfig config) {
        this.api = Responses.client(TikTokApi.class, config.platforms().tiktokUrl(), config.callTimeout());
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public String event(Conversion conversion, Hasher hasher) {
        StoredEvent event = conversion.event();
        StoredEvent.Context context = event.context() == null ? StoredEvent.Context.NONE : event.context();
        return ConversionJson.event(json -> {
            json.writeStartObject();
            json.writeStringField("event", conversion.platformEvent());
            json.writeNumberField("event_time", event.occurredAt().getEpochSecond());
            json.writeStringField("event_id", event.messageId());
            json.writeObjectFieldStart("user");
            // TikTokRows' columns: email, email (strict), phone digits, phone with +.
            ConversionJson.hashes(json, "email", conversion.cell(0));
            ConversionJson.hashes(json, "phone", conversion.cell(3));
            ConversionJson.hashes(json, "external_id", ConversionJson.externalIds(event, TikTokNormalizers::eventsExternalId, hasher));
            ConversionJson.text(json, "ttclid", context.ttclid());
            ConversionJson.text(json, "ttp", context.ttp());
            ConversionJson.text(json, "ip", context.ip());
            ConversionJson.text(json, "user_agent", context.userAgent());
            ConversionJson.text(json, "locale", context.locale());
            json.writeEndObject();
            json.writeObjectFieldStart("properties");
            JsonNode contentIds = ConversionJson.parameter(conversion, "content_ids");
            if (contentIds != null) {
                json.writeArrayFieldStart("contents");
                for (JsonNode id : contentIds) {
                    json.writeStartObject();
                    json.writeStringField("content_id", id.asText());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            ConversionJson.parameters(json, conversion, List.of("content_ids"));
            json.writeEndObject();
            if (context.pageUrl() != null) {
                json.writeObjectFieldStart("page");
                json.writeStringField("url", context.pageUrl());
                ConversionJson.text(json, "referrer", context.referrer());
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    @Override
    public PlatformAnswer send(Target target, String platformEvent, List<String> events, String testEventCode) {
        byte[] body = ConversionJson.body("data", events, json -> {
            json.writeStringField("event_source", "web");
            json.writeStringField("event_source_id", target.setting(SPEC.eventSetting()));
            ConversionJson.text(json, "test_event_code", testEventCode);
        });
        return TikTokConnector.answer(api.track(target.credential("accessToken"), body));
    }
}
