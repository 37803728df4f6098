package dev.cdp.profile.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.ProfileTraits;
import dev.cdp.events.RawEvent;
import dev.cdp.events.TransactionFacts;
import dev.cdp.kafka.Unreadable;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a raw event says: who it is about and what it tells about them. A message that cannot be true (no
 * identity, a transaction without an amount) is refused with the reason, for the dead-letter topic. Values that are
 * merely unclean are kept and cleaned later, with a data-quality issue when they cannot be.
 */
public final class EventReader {

    /** The consent channels a profile keeps (Segment's consent categories, as the platforms need them). */
    public static final List<String> CONSENT_CHANNELS = List.of("email", "sms", "advertising");

    private EventReader() {
    }

    /**
     * A track, page or screen call: what happened, with the page or screen's {@code name} and {@code category} (null
     * for a track call) and the {@link #KEPT_CONTEXT kept context} as JSON.
     */
    public record InteractionFact(String type, String eventName, String propertiesJson, String channel, String name,
            String category, String contextJson) {
    }

    /**
     * The parts of a message's {@code context} an interaction keeps, as the tracking libraries send them: where it
     * happened (page: url, path, referrer, title, search), the campaign's UTM values, and what it happened on. The IP
     * address, traits and consent are not copied here (consent has its own record; the message keeps the rest).
     */
    public static final List<String> KEPT_CONTEXT = List.of("page", "campaign", "referrer", "userAgent", "userAgentData",
            "locale", "timezone", "library", "app", "device", "os", "screen", "network");

    /** A POS or shop sale. */
    public record TransactionFact(String transactionId, String type, BigDecimal amount, String currency, String storeId,
            String itemsJson) {
    }

    /**
     * What an event says.
     *
     * @param event the raw event
     * @param received the record's bytes exactly as consumed (UTF-8 JSON), which bronze keeps
     * @param identifiers who it is about, most telling first (userId, email, phone, loyalty card, anonymousId)
     * @param previousId an alias call's previous id, which may be a userId or an anonymousId
     * @param traits profile fields an identify call sets, raw (cleaned when applied)
     * @param phoneE164 the message's phone number in E.164, when it has a valid one
     * @param consents consent per channel, from {@code context.consent.categoryPreferences}
     */
    public record Read(RawEvent event, byte[] received, List<Identity> identifiers, String previousId, InteractionFact interaction,
            TransactionFact transaction, Map<String, String> traits, JsonNode preferences, String phoneE164,
            Map<String, Boolean> consents) {
    }

    /**
     * Reads an event. Phone numbers without a country code are read in the country the message's own address names,
     * else in {@code defaultPhoneRegion}.
     */
    public static Read read(RawEvent event, byte[] received, String defaultPhoneRegion) throws Unreadable {
        ObjectNode payload = event.payload();
        List<Identity> identifiers = new ArrayList<>();
        add(identifiers, IdentityType.userId, text(payload, "userId"));
        InteractionFact interaction = null;
        TransactionFact transaction = null;
        Map<String, String> traits = Map.of();
        JsonNode preferences = null;
        String previousId = null;
        String phoneE164 = null;
        switch (event.type()) {
            case "track" -> interaction = interaction(event, "track", required(payload, "event"));
            case "page" -> interaction = interaction(event, "page", "page_view");
            case "screen" -> interaction = interaction(event, "screen", "screen_view");
            case "identify" -> {
                JsonNode traitsNode = identifyTraits(payload);
                traits = traits(traitsNode);
                preferences = traitsNode.get("preferences") instanceof ObjectNode object ? object : null;
                String region = Cleaning.countryCode(traits.get("country")).orElse(defaultPhoneRegion);
                phoneE164 = Cleaning.phoneE164(traits.get("phone"), region).orElse(null);
                add(identifiers, IdentityType.email, Cleaning.email(traits.get("email")).orElse(null));
                add(identifiers, IdentityType.phone, phoneE164);
                add(identifiers, IdentityType.loyaltyCard, Cleaning.trimmed(traits.get("loyaltyCard")).orElse(null));
            }
            case "transaction" -> {
                transaction = transaction(payload);
                phoneE164 = Cleaning.phoneE164(text(payload, "phone"), defaultPhoneRegion).orElse(null);
                add(identifiers, IdentityType.email, Cleaning.email(text(payload, "email")).orElse(null));
                add(identifiers, IdentityType.phone, phoneE164);
                add(identifiers, IdentityType.loyaltyCard, Cleaning.trimmed(text(payload, "loyaltyCard")).orElse(null));
            }
            case "alias" -> previousId = required(payload, "previousId");
            case "group" -> {
                // kept in bronze; groups are not part of the profile yet
            }
            default -> throw new Unreadable("unknown message type " + event.type());
        }
        add(identifiers, IdentityType.anonymousId, text(payload, "anonymousId"));
        if (identifiers.isEmpty()) {
            throw new Unreadable("no identity: userId, anonymousId, a valid email or phone, or loyaltyCard is required");
        }
        return new Read(event, received, List.copyOf(identifiers), previousId, interaction, transaction, traits, preferences,
                phoneE164, consents(payload.path("context").path("consent").path("categoryPreferences")));
    }

    /** A transaction as ingestion-service accepts one ({@link TransactionFacts}); anything else cannot be stored. */
    private static TransactionFact transaction(ObjectNode payload) throws Unreadable {
        String type = TransactionFacts.type(required(payload, "transactionType"))
                .orElseThrow(() -> new Unreadable("transactionType must be one of " + TransactionFacts.TYPES));
        JsonNode amountNode = payload.path("amount");
        BigDecimal amount;
        try {
            amount = amountNode.isNumber() ? amountNode.decimalValue() : new BigDecimal(amountNode.asText().strip());
        } catch (NumberFormatException e) {
            throw new Unreadable("amount is not a decimal number");
        }
        String amountProblem = TransactionFacts.amountProblem(amount).orElse(null);
        if (amountProblem != null) {
            throw new Unreadable("amount " + amountProblem);
        }
        String currency = TransactionFacts.currency(required(payload, "currency"))
                .orElseThrow(() -> new Unreadable("currency must be three letters"));
        JsonNode items = payload.path("items");
        return new TransactionFact(required(payload, "transactionId"), type, amount, currency,
                text(payload, "storeId"), items.isArray() ? items.toString() : "[]");
    }

    /**
     * An identify call's traits: {@code traits}, over {@code context.traits}, where RudderStack's JavaScript SDK puts
     * them (it sends no top-level traits).
     */
    private static JsonNode identifyTraits(ObjectNode payload) {
        JsonNode own = payload.path("traits");
        JsonNode context = payload.path("context").path("traits");
        if (!context.isObject() || context.isEmpty()) {
            return own;
        }
        ObjectNode merged = ((ObjectNode) context).deepCopy();
        if (own.isObject()) {
            merged.setAll((ObjectNode) own);
        }
        return merged;
    }

    /** Traits by profile field ({@link ProfileTraits#PATHS}). */
    private static Map<String, String> traits(JsonNode traits) {
        Map<String, String> fields = new LinkedHashMap<>();
        ProfileTraits.PATHS.forEach((field, paths) -> {
            for (String path : paths) {
                JsonNode value = traits.at("/" + path);
                if (!value.isMissingNode() && !value.isNull()) {
                    // scalars become text; an object or array where a scalar belongs is kept as JSON text, to be flagged later
                    fields.put(field, value.isValueNode() ? value.asText() : value.toString());
                    return;
                }
            }
        });
        return fields;
    }

    private static Map<String, Boolean> consents(JsonNode preferences) {
        Map<String, Boolean> consents = new LinkedHashMap<>();
        for (String channel : CONSENT_CHANNELS) {
            JsonNode value = preferences.get(channel);
            if (value != null && value.isBoolean()) {
                consents.put(channel, value.booleanValue());
            }
        }
        return consents;
    }

    private static InteractionFact interaction(RawEvent event, String type, String eventName) {
        ObjectNode payload = event.payload();
        JsonNode properties = payload.path("properties");
        boolean named = !type.equals("track");
        return new InteractionFact(type, eventName, properties.isObject() ? properties.toString() : "{}", channel(event),
                named ? Cleaning.trimmed(text(payload, "name")).orElse(null) : null,
                named ? Cleaning.trimmed(text(payload, "category")).orElse(null) : null, keptContext(payload.path("context")));
    }

    private static String keptContext(JsonNode context) {
        if (!context.isObject()) {
            return "{}";
        }
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String field : KEPT_CONTEXT) {
            JsonNode value = context.get(field);
            if (value != null && !value.isNull()) {
                kept.set(field, value);
            }
        }
        return kept.toString();
    }

    /** Where it happened: {@code context.channel} when the sender says, else the source (web, app, pos, ...). */
    private static String channel(RawEvent event) {
        String channel = text(event.payload().path("context"), "channel");
        return channel != null ? channel : event.source();
    }

    private static void add(List<Identity> identifiers, IdentityType type, String value) {
        if (value != null && !value.isBlank()) {
            identifiers.add(new Identity(type, value.strip()));
        }
    }

    private static String required(JsonNode node, String field) throws Unreadable {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new Unreadable(field + " is required");
        }
        return value.strip();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
