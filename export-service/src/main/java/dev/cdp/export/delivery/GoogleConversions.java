package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent;
import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.hash.Hasher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Google Ads conversions through the Data Manager API's {@code events:ingest}, up to 2,000 events a call to one
 * conversion action (its {@code productDestinationId}; an offline action is of type UPLOAD_CLICKS). Each event carries
 * the hashed identifiers of Google's audience rows (email, phone, the address when all four parts are there), the click
 * ids ({@code gclid}, {@code gbraid}, {@code wbraid}), the device's user agent and IP address, and the consent the
 * customer gave. {@code transactionId} is the rule's {@code order_id}, else the message id: Google de-duplicates on it.
 * {@code value} and {@code currency} become {@code conversionValue} and {@code currency}; Google takes no other
 * parameter without setting up custom variables. Google's limit on an event's age is the conversion action's
 * click-through window (90 days by default): 90 days is assumed. A test code sends with {@code validateOnly}.
 */
@ApplicationScoped
public class GoogleConversions implements ConversionConnector {

    private static final Spec SPEC = new Spec(DestinationKind.GOOGLE, "conversionActionId", 2000, Duration.ofDays(90));

    private final GoogleDataManagerApi api;
    private final GoogleConnector audiences;

    public GoogleConversions(DeliveryConfig config, GoogleConnector audiences) {
        this.api = Responses.client(GoogleDataManagerApi.class, config.platforms().googleUrl(), config.callTimeout());
        this.audiences = audiences;
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public String event(Conversion conversion, Hasher hasher) {
        StoredEvent event = conversion.event();
        StoredEvent.Context context = event.context() == null ? StoredEvent.Context.NONE : event.context();
        boolean identified = conversion.cell(0) != null || conversion.cell(1) != null || conversion.cell(2) != null;
        if (!identified && context.gclid() == null && context.gbraid() == null && context.wbraid() == null) {
            return null;
        }
        JsonNode orderId = ConversionJson.parameter(conversion, "order_id");
        return ConversionJson.event(json -> {
            json.writeStartObject();
            json.writeStringField("transactionId", orderId != null ? orderId.asText() : event.messageId());
            json.writeStringField("eventTimestamp", DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
            json.writeStringField("eventSource", switch (conversion.origin()) {
                case STORE -> "IN_STORE";
                case WEB -> "WEB";
                case APP -> "APP";
                case OTHER -> "OTHER";
            });
            JsonNode value = ConversionJson.parameter(conversion, "value");
            if (value != null) {
                json.writeFieldName("conversionValue");
                json.writeTree(value);
            }
            JsonNode currency = ConversionJson.parameter(conversion, "currency");
            ConversionJson.text(json, "currency", currency == null ? null : currency.asText());
            if (identified) {
                // GoogleRows' columns: Email, Phone, First Name, Last Name, Country, Zip.
                json.writeObjectFieldStart("userData");
                json.writeArrayFieldStart("userIdentifiers");
                if (conversion.cell(0) != null) {
                    json.writeStartObject();
                    json.writeStringField("emailAddress", conversion.cell(0));
                    json.writeEndObject();
                }
                if (conversion.cell(1) != null) {
                    json.writeStartObject();
                    json.writeStringField("phoneNumber", conversion.cell(1));
                    json.writeEndObject();
                }
                if (conversion.cell(2) != null) {
                    json.writeStartObject();
                    json.writeObjectFieldStart("address");
                    json.writeStringField("givenName", conversion.cell(2));
                    json.writeStringField("familyName", conversion.cell(3));
                    json.writeStringField("regionCode", conversion.cell(4));
                    json.writeStringField("postalCode", conversion.cell(5));
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            if (context.gclid() != null || context.gbraid() != null || context.wbraid() != null) {
                json.writeObjectFieldStart("adIdentifiers");
                ConversionJson.text(json, "gclid", context.gclid());
                ConversionJson.text(json, "gbraid", context.gbraid());
                ConversionJson.text(json, "wbraid", context.wbraid());
                json.writeEndObject();
            }
            if (context.userAgent() != null || context.ip() != null) {
                json.writeObjectFieldStart("eventDeviceInfo");
                ConversionJson.text(json, "userAgent", context.userAgent());
                ConversionJson.text(json, "ipAddress", context.ip());
                json.writeEndObject();
            }
            json.writeObjectFieldStart("consent");
            json.writeStringField("adUserData", "CONSENT_GRANTED");
            json.writeStringField("adPersonalization", "CONSENT_GRANTED");
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    @Override
    public PlatformAnswer send(Target target, String platformEvent, List<String> events, String testEventCode) {
        byte[] body = ConversionJson.body("events", events, json -> {
            GoogleConnector.destinations(json, target.withAudience(platformEvent));
            json.writeStringField("encoding", "HEX");
            json.writeBooleanField("validateOnly", testEventCode != null);
        });
        return GoogleConnector.answer(api.ingestEvents(audiences.bearer(target), body));
    }
}
