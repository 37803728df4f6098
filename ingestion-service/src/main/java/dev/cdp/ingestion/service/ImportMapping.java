package dev.cdp.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cdp.ingestion.domain.ImportKind;
import dev.cdp.problem.Violation;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one row of an imported file (a CSV record or an NDJSON object) into the message it stands for: customers
 * into identify calls (traits and consents), transactions into transaction messages, interactions into track calls.
 * Column names are matched loosely ({@code first_name}, {@code firstName} and {@code First Name} are the same);
 * columns it does not know become traits (customers) or properties (transactions, interactions). It remembers which
 * column each message field came from, so errors name the file's own columns.
 */
final class ImportMapping {

    /** The message a row became, and where its fields came from. */
    record Mapped(ObjectNode message, Map<String, String> columnOf) {

        /** The file's name for the field a violation points at ({@code /transactionId} -> {@code transaction_id}). */
        String column(Violation violation) {
            String pointer = violation.field();
            for (String prefix = pointer; !prefix.isEmpty(); prefix = prefix.substring(0, Math.max(prefix.lastIndexOf('/'), 0))) {
                String column = columnOf.get(prefix);
                if (column != null) {
                    return column + pointer.substring(prefix.length());
                }
            }
            return pointer.startsWith("/") ? pointer.substring(1) : pointer;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CONSENT = "context/consent/categoryPreferences";

    /** Normalized column name -> message path, per kind. */
    private static final Map<ImportKind, Map<String, String>> PATHS = Map.of(
            ImportKind.CUSTOMERS, paths(
                    "messageid", "messageId", "userid", "userId", "customerid", "userId", "id", "userId",
                    "anonymousid", "anonymousId", "timestamp", "timestamp", "updatedat", "timestamp",
                    "createdat", "traits/createdAt", "email", "traits/email", "emailaddress", "traits/email",
                    "phone", "traits/phone", "phonenumber", "traits/phone", "mobile", "traits/phone",
                    "firstname", "traits/firstName", "lastname", "traits/lastName", "surname", "traits/lastName",
                    "name", "traits/name", "birthday", "traits/birthday", "birthdate", "traits/birthday",
                    "dateofbirth", "traits/birthday", "gender", "traits/gender", "city", "traits/address/city",
                    "state", "traits/address/state", "district", "traits/address/state",
                    "zip", "traits/address/postalCode", "zipcode", "traits/address/postalCode",
                    "postalcode", "traits/address/postalCode", "postcode", "traits/address/postalCode",
                    "country", "traits/address/country", "segment", "traits/segment",
                    "customersegment", "traits/segment", "tier", "traits/segment",
                    "loyaltycard", "traits/loyaltyCard", "loyaltycardnumber", "traits/loyaltyCard",
                    "preferences", "traits/preferences", "traits", "traits", "address", "traits/address",
                    "context", "context",
                    "emailoptin", CONSENT + "/email", "optinemail", CONSENT + "/email",
                    "smsoptin", CONSENT + "/sms", "optinsms", CONSENT + "/sms",
                    "adsoptin", CONSENT + "/advertising", "optinads", CONSENT + "/advertising",
                    "advertisingoptin", CONSENT + "/advertising", "optinadvertising", CONSENT + "/advertising",
                    "marketingoptin", CONSENT, "optin", CONSENT, "optins", CONSENT, "consent", CONSENT,
                    "consents", CONSENT),
            ImportKind.TRANSACTIONS, paths(
                    "messageid", "messageId", "transactionid", "transactionId", "id", "transactionId",
                    "userid", "userId", "customerid", "userId", "anonymousid", "anonymousId",
                    "email", "email", "phone", "phone", "loyaltycard", "loyaltyCard", "loyaltycardnumber", "loyaltyCard",
                    "type", "transactionType", "transactiontype", "transactionType",
                    "amount", "amount", "totalamount", "amount", "total", "amount", "currency", "currency",
                    "storeid", "storeId", "store", "storeId", "storecode", "storeId", "stationid", "storeId",
                    "items", "items", "timestamp", "timestamp", "occurredat", "timestamp",
                    "transactiondate", "timestamp", "transactiontime", "timestamp", "date", "timestamp",
                    "createdat", "timestamp", "properties", "properties", "context", "context"),
            ImportKind.INTERACTIONS, paths(
                    "messageid", "messageId", "eventid", "messageId", "userid", "userId", "customerid", "userId",
                    "anonymousid", "anonymousId", "event", "event", "eventname", "event", "name", "event",
                    "eventtype", "event", "properties", "properties", "channel", "context/channel",
                    "timestamp", "timestamp", "occurredat", "timestamp", "eventtime", "timestamp",
                    "eventdate", "timestamp", "createdat", "timestamp", "context", "context"));

    /** Consent categories as files name them -> Segment's category names. */
    private static final Map<String, String> CONSENT_CATEGORIES = Map.of(
            "email", "email", "sms", "sms", "ads", "advertising", "ad", "advertising", "advertising", "advertising",
            "push", "push", "phone", "phone", "call", "phone");
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1", "evet", "e", "t");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "0", "hayır", "hayir", "h", "f");
    private static final Set<String> JSON_FIELDS = Set.of("items", "properties", "traits", "traits/preferences",
            "traits/address", "context", CONSENT);
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSSSSS][.SSS]");

    private final ImportKind kind;
    private final ZoneId zone;
    private final JsonReader json;

    /** Parses a JSON value held in a CSV cell; returns null when it is not JSON. */
    interface JsonReader {
        JsonNode read(String text);
    }

    ImportMapping(ImportKind kind, ZoneId zone, JsonReader json) {
        this.kind = kind;
        this.zone = zone;
        this.json = json;
    }

    /** Maps a row; a problem with a value (a consent that is not yes/no, JSON that does not parse) is added to violations. */
    Mapped map(Map<String, JsonNode> row, List<Violation> violations) {
        ObjectNode message = NODES.objectNode();
        Map<String, String> columnOf = new HashMap<>();
        Map<String, String> paths = PATHS.get(kind);
        String others = kind == ImportKind.CUSTOMERS ? "traits" : "properties";
        for (Map.Entry<String, JsonNode> cell : row.entrySet()) {
            JsonNode value = cell.getValue();
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                continue;
            }
            String column = cell.getKey();
            String path = paths.getOrDefault(normalize(column), others + "/" + column);
            if (JSON_FIELDS.contains(path) && value.isTextual()) {
                value = json.read(value.asText());
                if (value == null) {
                    violations.add(new Violation("/" + path, "is not valid JSON"));
                    columnOf.put("/" + path, column);
                    continue;
                }
            }
            if (path.equals(CONSENT)) {
                consents(message, value, column, columnOf, violations);
            } else if (path.startsWith(CONSENT + "/")) {
                consent(message, path, value, column, columnOf, violations);
            } else {
                put(message, path, path.equals("timestamp") ? withZone(value) : trimmed(value));
                columnOf.put("/" + path, column);
            }
        }
        return new Mapped(message, columnOf);
    }

    /** A consent object such as {"email": true, "sms": false, "ads": true}. */
    private void consents(ObjectNode message, JsonNode value, String column, Map<String, String> columnOf, List<Violation> violations) {
        if (!value.isObject()) {
            violations.add(new Violation("/" + CONSENT, "must be an object of consent categories, such as {\"email\": true}"));
            columnOf.put("/" + CONSENT, column);
            return;
        }
        value.properties().forEach(entry -> {
            String category = CONSENT_CATEGORIES.getOrDefault(normalize(entry.getKey()), entry.getKey());
            consent(message, CONSENT + "/" + category, entry.getValue(), column + "/" + entry.getKey(), columnOf, violations);
        });
    }

    private void consent(ObjectNode message, String path, JsonNode value, String column, Map<String, String> columnOf,
            List<Violation> violations) {
        columnOf.put("/" + path, column);
        String text = value.asText().trim().toLowerCase(Locale.forLanguageTag("tr"));
        if (value.isBoolean() || TRUE.contains(text) || FALSE.contains(text)) {
            put(message, path, NODES.booleanNode(value.isBoolean() ? value.booleanValue() : TRUE.contains(text)));
        } else {
            violations.add(new Violation("/" + path, "must be true or false (yes/no, 1/0 also work)"));
        }
    }

    /** A date-time without a zone is read in the import's time zone; a date alone is its start of day. */
    private JsonNode withZone(JsonNode value) {
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText().trim();
        try {
            return TextNode.valueOf(OffsetDateTime.parse(text).toString());
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDateTime local = text.length() == 10 ? LocalDate.parse(text).atStartOfDay()
                        : text.indexOf('T') > 0 ? LocalDateTime.parse(text) : LocalDateTime.parse(text, SPACED);
                return TextNode.valueOf(local.atZone(zone).toOffsetDateTime().toString());
            } catch (DateTimeParseException e) {
                return value; // the validator names it
            }
        }
    }

    private static JsonNode trimmed(JsonNode value) {
        return value.isTextual() ? TextNode.valueOf(value.asText().trim()) : value;
    }

    /** Sets a value at a slash-separated path, creating objects on the way and merging objects into objects. */
    private static void put(ObjectNode message, String path, JsonNode value) {
        String[] parts = path.split("/");
        ObjectNode parent = message;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (value instanceof ObjectNode object && parent.get(last) instanceof ObjectNode existing) {
            existing.setAll(object);
        } else {
            parent.set(last, value);
        }
    }

    /** {@code first_name}, {@code firstName} and {@code First Name} all become {@code firstname}. */
    static String normalize(String column) {
        StringBuilder normalized = new StringBuilder(column.length());
        for (char c : column.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                normalized.append(Character.toLowerCase(c));
            }
        }
        return normalized.toString();
    }

    private static Map<String, String> paths(String... pairs) {
        Map<String, String> paths = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            paths.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(paths);
    }
}
