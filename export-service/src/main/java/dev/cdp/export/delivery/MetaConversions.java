package dev.cdp.export.delivery;

import dev.cdp.events.StoredEvent;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.hash.Hasher;
import dev.cdp.export.platform.MetaNormalizers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * Meta's Conversions API (platform-apis.md §4, ad-platforms.md §4.1): {@code POST /{pixel}/events}, up to 1,000 events.
 * {@code user_data} carries the hashes of Meta's audience rows under the CAPI key names, the full birth date as
 * {@code db}, the hashed customer and user ids as {@code external_id}, and in clear the IP address, user agent,
 * {@code fbc} and {@code fbp}. Parameters go to {@code custom_data}. A sale at the till is {@code physical_store} (62
 * days old at most), anything else 7 days.
 */
@ApplicationScoped
public class MetaConversions implements ConversionConnector {

    private static final Spec SPEC = new Spec(DestinationKind.META, "pixelId", 1000, Duration.ofDays(7));
    private static final Duration STORE_WINDOW = Duration.ofDays(62);
    private static final String TOO_OLD = "100/2804003";

    private final MetaApi api;
    private final String version;
    private final MetaConnector audiences;

    public MetaConversions(DeliveryConfig config, MetaConnector audiences) {
        this.api = Responses.client(MetaApi.class, config.platforms().metaUrl(), config.callTimeout());
        this.version = config.platforms().metaVersion();
        this.audiences = audiences;
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public Duration window(Conversion conversion) {
        return conversion.origin() == Conversion.Origin.STORE ? STORE_WINDOW : SPEC.window();
    }

    @Override
    public String event(Conversion conversion, Hasher hasher) {
        StoredEvent event = conversion.event();
        StoredEvent.Context context = event.context() == null ? StoredEvent.Context.NONE : event.context();
        Conversion.Origin origin = conversion.origin();
        return ConversionJson.event(json -> {
            json.writeStartObject();
            json.writeStringField("event_name", conversion.platformEvent());
            json.writeNumberField("event_time", event.occurredAt().getEpochSecond());
            json.writeStringField("event_id", event.messageId());
            json.writeStringField("action_source", switch (origin) {
                case STORE -> "physical_store";
                case WEB -> "website";
                case APP, OTHER -> "other";
            });
            ConversionJson.text(json, "event_source_url", origin == Conversion.Origin.WEB ? context.pageUrl() : null);
            json.writeObjectFieldStart("user_data");
            // MetaRows' columns: email, phone, fn, ln, zip, ct, st, country, doby, gen.
            ConversionJson.hashes(json, "em", conversion.cell(0));
            ConversionJson.hashes(json, "ph", conversion.cell(1));
            ConversionJson.text(json, "fn", conversion.cell(2));
            ConversionJson.text(json, "ln", conversion.cell(3));
            ConversionJson.text(json, "zp", conversion.cell(4));
            ConversionJson.text(json, "ct", conversion.cell(5));
            ConversionJson.text(json, "st", conversion.cell(6));
            ConversionJson.text(json, "country", conversion.cell(7));
            ConversionJson.text(json, "db", event.person() == null ? null : hasher.sha256(MetaNormalizers.dateOfBirth(event.person().birthDate())));
            ConversionJson.text(json, "ge", conversion.cell(9));
            ConversionJson.hashes(json, "external_id", ConversionJson.externalIds(event, MetaNormalizers::externalId, hasher));
            ConversionJson.text(json, "client_ip_address", context.ip());
            ConversionJson.text(json, "client_user_agent", context.userAgent());
            ConversionJson.text(json, "fbc", context.fbc());
            ConversionJson.text(json, "fbp", context.fbp());
            json.writeEndObject();
            if (!conversion.parameters().isEmpty()) {
                json.writeObjectFieldStart("custom_data");
                ConversionJson.parameters(json, conversion, List.of());
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    @Override
    public PlatformAnswer send(Target target, String platformEvent, List<String> events, String testEventCode) {
        byte[] body = ConversionJson.body("data", events, json -> {
            audiences.credentials(json, target);
            ConversionJson.text(json, "test_event_code", testEventCode);
        });
        return answer(api.events(version, target.setting(SPEC.eventSetting()), body));
    }

    @Override
    public long accepted(PlatformAnswer answer, int sent) {
        return answer.body().path("events_received").asLong(sent);
    }

    /** As for audiences, except that a too-old event refuses the batch it is in, not the destination. */
    static PlatformAnswer answer(Response response) {
        try {
            return MetaConnector.answer(response);
        } catch (DeliveryException.Fatal e) {
            if (e.answer() != null && TOO_OLD.equals(e.answer().platformCode())) {
                throw new DeliveryException.Rejected(e.getMessage() + " (an event is older than Meta takes)", e.answer());
            }
            throw e;
        }
    }
}
