package dev.cdp.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.IsoTimes;
import dev.cdp.events.PhoneNumbers;
import dev.cdp.events.ProfileTraits;
import dev.cdp.events.TextKeys;
import dev.cdp.events.TransactionFacts;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.problem.StorableJson;
import dev.cdp.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks one message against the Segment spec (and our POS transaction shape) and our bounds. Every problem is
 * reported at once, each named by a JSON pointer, so a sender can fix a message in one round.
 */
@ApplicationScoped
public class MessageValidator {

    private final String defaultPhoneRegion;

    @Inject
    public MessageValidator(IngestionConfig config) {
        this(config.defaultPhoneRegion());
    }

    /** @param defaultPhoneRegion where a phone number without a country code is read */
    public MessageValidator(String defaultPhoneRegion) {
        this.defaultPhoneRegion = defaultPhoneRegion;
    }

    static final int MAX_ID_LENGTH = ProfileTraits.MAX_LENGTH;
    static final int MAX_MESSAGE_ID_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ITEMS = 500;
    private static final List<String> OBJECT_FIELDS = List.of("properties", "context", "traits", "integrations");
    private static final List<String> SEGMENT_IDS = List.of("userId", "anonymousId");
    private static final List<String> TRANSACTION_IDS = List.of("userId", "anonymousId", "email", "phone", "loyaltyCard");

    /**
     * Checks {@code message} as a {@code type}, adding what is wrong to {@code violations} (pointers start with
     * {@code at}: "" or "/batch/3"), and returns when it happened. The sender's clock says {@code timestamp}, else
     * {@code originalTimestamp}; when the sender also says when it sent the message ({@code sentAt}, its own or the
     * batch's {@code batchSentAt}), Segment's clock-skew correction applies: {@code receivedAt - (sentAt - timestamp)},
     * so a device whose clock is a day off still places its events right. Without a time, {@code receivedAt}.
     */
    public Instant check(ObjectNode message, MessageType type, String at, Instant receivedAt, Instant batchSentAt,
            List<Violation> violations) {
        Check check = new Check(message, at, violations);
        StorableJson.check(message, at, violations); // else the store would refuse it after it was accepted here
        check.text("messageId", MAX_MESSAGE_ID_LENGTH, false);
        for (String field : OBJECT_FIELDS) {
            check.object(field);
        }
        // indexed by profile-service: the campaign a visit came from
        check.bounded("context/campaign/name");
        check.bounded("context/campaign/source");
        Instant timestamp = check.time("timestamp");
        Instant sentAt = check.time("sentAt");
        Instant originalTimestamp = check.time("originalTimestamp");
        switch (type) {
            case TRACK -> {
                check.identity(SEGMENT_IDS);
                check.text("event", MAX_NAME_LENGTH, true);
            }
            case IDENTIFY -> {
                check.identity(SEGMENT_IDS);
                for (List<String> paths : ProfileTraits.PATHS.values()) {
                    for (String path : paths) {
                        check.bounded("traits/" + path);
                        check.bounded("context/traits/" + path);
                    }
                }
            }
            case PAGE, SCREEN -> {
                check.identity(SEGMENT_IDS);
                check.text("name", MAX_NAME_LENGTH, false);
                check.text("category", MAX_NAME_LENGTH, false);
            }
            case GROUP -> {
                check.identity(SEGMENT_IDS);
                check.id("groupId", true);
            }
            case ALIAS -> {
                check.id("userId", true);
                check.id("previousId", true);
            }
            case TRANSACTION -> transaction(check, defaultPhoneRegion);
        }
        Instant clientTime = timestamp != null ? timestamp : originalTimestamp;
        Instant sent = sentAt != null ? sentAt : batchSentAt;
        if (clientTime == null) {
            return receivedAt;
        }
        if (sent == null) {
            return clientTime;
        }
        Instant corrected = receivedAt.minus(Duration.between(clientTime, sent)); // both in years 1-9999: no overflow
        if (!IsoTimes.supported(corrected)) {
            violations.add(new Violation(sentAt != null ? at + "/sentAt" : "/sentAt",
                    "is too far from the event's own time to correct the sender's clock with it"));
        }
        return corrected;
    }

    private static void transaction(Check check, String defaultPhoneRegion) {
        check.identity(TRANSACTION_IDS);
        check.usableIdentity(defaultPhoneRegion);
        check.id("transactionId", true);
        check.text("storeId", MAX_ID_LENGTH, false);
        JsonNode kind = check.message.get("transactionType");
        if (kind == null || kind.isNull()) {
            check.add("transactionType", "is required: PURCHASE, FUEL or MARKET");
        } else if (!kind.isTextual() || TransactionFacts.type(kind.asText()).isEmpty()) {
            check.add("transactionType", "must be PURCHASE, FUEL or MARKET");
        }
        check.money("amount", true);
        JsonNode currency = check.message.get("currency");
        if (currency == null || currency.isNull()) {
            check.add("currency", "is required: an ISO 4217 code such as TRY");
        } else if (!currency.isTextual() || TransactionFacts.currency(currency.asText()).isEmpty()) {
            check.add("currency", "must be an ISO 4217 code of three letters, such as TRY");
        }
        JsonNode items = check.message.get("items");
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                check.add("items", "must be an array");
            } else if (items.size() > MAX_ITEMS) {
                check.add("items", "must have at most " + MAX_ITEMS + " entries");
            } else {
                for (int i = 0; i < items.size(); i++) {
                    item(check, items.get(i), "items/" + i);
                }
            }
        }
    }

    private static void item(Check check, JsonNode item, String at) {
        if (!(item instanceof ObjectNode object)) {
            check.add(at, "must be a JSON object");
            return;
        }
        Check inner = new Check(object, check.at + "/" + at, check.violations);
        inner.text("sku", MAX_NAME_LENGTH, false);
        inner.text("name", MAX_NAME_LENGTH, false);
        inner.text("category", MAX_NAME_LENGTH, false);
        inner.money("unitPrice", false);
        JsonNode quantity = object.get("quantity");
        if (quantity != null && !quantity.isNull() && (decimal(quantity) == null || decimal(quantity).signum() <= 0)) {
            inner.add("quantity", "must be a number greater than 0");
        }
    }

    /** A decimal from a JSON number or a numeric string, exactly as written; null when it is neither. */
    static BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            // a double (from a mapper without BigDecimal floats) may be infinite or NaN: no decimal
            return value.isFloatingPointNumber() && !value.isBigDecimal() && !Double.isFinite(value.doubleValue()) ? null : value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** An ISO-8601 date-time with a zone offset ({@code 2026-11-26T10:15:30.123Z}, {@code ...+03:00}); null otherwise. */
    public static Instant parseTime(String text) {
        Instant time = IsoTimes.parse(text);
        if (time == null) {
            try {
                time = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return IsoTimes.supported(time) ? time : null;
    }

    /** The checks of one JSON object, collecting violations under a pointer prefix. */
    private record Check(ObjectNode message, String at, List<Violation> violations) {

        void add(String field, String detail) {
            violations.add(new Violation(at + "/" + field, detail));
        }

        /** A date-time field: its instant, or null when absent or (then reported) invalid. */
        Instant time(String field) {
            JsonNode value = message.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            Instant time = value.isTextual() ? parseTime(value.asText()) : null;
            if (time == null) {
                add(field, "must be an ISO-8601 date-time with a time zone in the years 1-9999, such as 2026-11-26T10:15:30Z");
            }
            return time;
        }

        /**
         * A value profile-service keeps as a field of its own or indexes (at a JSON path such as {@code traits/city}),
         * read as text the way it reads it, is at most {@link ProfileTraits#MAX_LENGTH} characters.
         */
        void bounded(String path) {
            JsonNode value = message.at("/" + path);
            if (!value.isMissingNode() && !value.isNull()
                    && (value.isValueNode() ? value.asText() : value.toString()).length() > ProfileTraits.MAX_LENGTH) {
                add(path, "must be at most " + ProfileTraits.MAX_LENGTH + " characters");
            }
        }

        void object(String field) {
            if (message.hasNonNull(field) && !message.get(field).isObject()) {
                add(field, "must be a JSON object");
            }
        }

        void text(String field, int maxLength, boolean required) {
            JsonNode value = message.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    add(field, "is required");
                }
            } else if (!value.isTextual()) {
                add(field, "must be a string");
            } else if (value.asText().isBlank()) {
                add(field, "must not be blank");
            } else if (value.asText().length() > maxLength) {
                add(field, "must be at most " + maxLength + " characters");
            }
        }

        /** An identifier: a non-blank string, or a whole number taken as its digits. Returns whether it is valid. */
        boolean id(String field, boolean required) {
            JsonNode value = message.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return false;
            }
            if (!(value.isTextual() || value.isIntegralNumber())) {
                add(field, "must be a string");
            } else if (value.asText().isBlank()) {
                add(field, "must not be blank");
            } else if (value.asText().length() > MAX_ID_LENGTH) {
                add(field, "must be at most " + MAX_ID_LENGTH + " characters");
            } else {
                return true;
            }
            return false;
        }

        /**
         * A transaction known only by an email or a phone must name them so that profile-service can match them:
         * the same rules ({@link TextKeys#email}, {@link PhoneNumbers#e164}) it stores them by.
         */
        void usableIdentity(String defaultPhoneRegion) {
            boolean usable = Stream.of("userId", "anonymousId", "loyaltyCard").anyMatch(field -> message.hasNonNull(field)
                    && !message.get(field).asText().isBlank());
            JsonNode email = message.get("email");
            JsonNode phone = message.get("phone");
            boolean emailUsable = email != null && email.isTextual() && TextKeys.email(email.asText()).isPresent();
            boolean phoneUsable = phone != null && phone.isTextual()
                    && PhoneNumbers.e164(phone.asText().strip(), null, defaultPhoneRegion).isPresent();
            if (usable || emailUsable || phoneUsable) {
                return;
            }
            if (email != null && !email.isNull()) {
                add("email", email.isTextual() ? "is not an email address, and no other field names the customer"
                        : "must be a string: an email address, since no other field names the customer");
            }
            if (phone != null && !phone.isNull()) {
                add("phone", phone.isTextual() ? "is not a valid phone number, and no other field names the customer"
                        : "must be a string: a phone number, since no other field names the customer");
            }
        }

        /** At least one of {@code fields} must identify the customer. */
        void identity(List<String> fields) {
            int before = violations.size();
            boolean identified = false;
            for (String field : fields) {
                identified |= id(field, false);
            }
            if (!identified && violations.size() == before) {
                add(fields.get(0), "is required (or " + String.join(", ", fields.subList(1, fields.size())) + ")");
            }
        }

        void money(String field, boolean required) {
            JsonNode value = message.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return;
            }
            BigDecimal amount = decimal(value);
            if (amount == null) {
                add(field, "must be a decimal number, such as 125.50");
            } else {
                TransactionFacts.amountProblem(amount).ifPresent(problem -> add(field, problem));
            }
        }
    }
}
