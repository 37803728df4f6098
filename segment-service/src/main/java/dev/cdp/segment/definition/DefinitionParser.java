package dev.cdp.segment.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.IsoTimes;
import dev.cdp.events.TextKeys;
import dev.cdp.events.TransactionFacts;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.StorableJson;
import dev.cdp.problem.Violation;
import dev.cdp.segment.definition.Condition.EventCondition;
import dev.cdp.segment.definition.Condition.EventFilter;
import dev.cdp.segment.definition.Condition.EventValue;
import dev.cdp.segment.definition.Condition.Group;
import dev.cdp.segment.definition.Condition.Logic;
import dev.cdp.segment.definition.Condition.Metric;
import dev.cdp.segment.definition.Condition.ProfileCondition;
import dev.cdp.segment.definition.Condition.TransactionCondition;
import dev.cdp.segment.definition.Condition.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a definition ({@code {"logic": ..., "conditions": [...]}}) into a {@link Condition}, collecting every problem
 * with the JSON pointer of the node it is in, so one answer lists them all.
 */
public final class DefinitionParser {

    /** How deep groups nest. */
    public static final int MAX_DEPTH = 8;
    static final int MAX_CONDITIONS = 200;
    static final int MAX_VALUES = 1000;
    static final int MAX_TEXT = 255;
    static final Set<String> TRANSACTION_TYPES = Set.copyOf(TransactionFacts.TYPES);
    static final int MAX_FILTERS = 20;
    static final int MAX_PATH = 5;
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Za-z]{2}");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[^.\"'\\\\\\p{Cntrl}]{1,64}");
    /** The operators of each kind of condition and of an event filter, in the order a builder offers them. */
    public static final List<Operator> TRANSACTION_OPERATORS = List.of(Operator.GTE, Operator.GT, Operator.EQ, Operator.NEQ, Operator.LT,
            Operator.LTE, Operator.BETWEEN);
    public static final List<Operator> EVENT_OPERATORS = List.of(Operator.GTE, Operator.GT, Operator.EQ, Operator.NEQ, Operator.LT,
            Operator.LTE, Operator.BETWEEN, Operator.NEVER);
    public static final List<Operator> FILTER_OPERATORS = List.of(Operator.EQ, Operator.NEQ, Operator.IN, Operator.NOT_IN,
            Operator.CONTAINS, Operator.STARTS_WITH, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN,
            Operator.EXISTS);
    /** What a transaction condition measures of the amounts. */
    public static final List<String> METRICS = List.of("count", "sum", "avg", "max");

    private final String prefix;
    private final List<Violation> violations = new ArrayList<>();
    private int conditions;

    private DefinitionParser(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The condition of a definition found at {@code prefix} (for example {@code /definition}) of a request.
     *
     * @throws ProblemException a 400 listing every invalid node
     */
    public static Condition parse(JsonNode definition, String prefix) {
        DefinitionParser parser = new DefinitionParser(prefix);
        if (definition != null) {
            StorableJson.check(definition, prefix, parser.violations); // its text becomes SQL parameters
        }
        Condition condition = parser.node(definition, prefix, 0);
        if (!parser.violations.isEmpty()) {
            throw ProblemException.invalid(parser.violations);
        }
        return condition;
    }

    private Condition node(JsonNode node, String at, int depth) {
        if (node == null || !node.isObject()) {
            return invalid(at, "must be an object: a group with logic and conditions, or a condition with a type");
        }
        if (++conditions > MAX_CONDITIONS) {
            return invalid(at, "is one node too many: a definition has at most " + MAX_CONDITIONS);
        }
        if (node.has("logic")) {
            return group(node, at, depth);
        }
        String type = text(node, "type", at);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "profile" -> profile(node, at);
            case "transaction" -> transaction(node, at);
            case "event" -> event(node, at);
            default -> invalid(at + "/type", "must be profile, transaction or event (or the node a group with logic)");
        };
    }

    private Condition group(JsonNode node, String at, int depth) {
        allowOnly(node, at, "logic", "conditions");
        Logic logic = switch (node.path("logic").asText("")) {
            case "AND" -> Logic.AND;
            case "OR" -> Logic.OR;
            case "NOT" -> Logic.NOT;
            default -> invalid(at + "/logic", "must be AND, OR or NOT");
        };
        if (depth >= MAX_DEPTH) {
            return invalid(at, "nests too deep: groups nest at most " + MAX_DEPTH + " levels");
        }
        JsonNode children = node.get("conditions");
        if (children == null || !children.isArray() || children.isEmpty()) {
            return invalid(at + "/conditions", "must be a non-empty array of conditions and groups");
        }
        List<Condition> parsed = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            parsed.add(node(children.get(i), at + "/conditions/" + i, depth + 1));
        }
        return logic == null || parsed.contains(null) ? null : new Group(logic, List.copyOf(parsed));
    }

    private Condition profile(JsonNode node, String at) {
        allowOnly(node, at, "type", "field", "operator", "value");
        String name = text(node, "field", at);
        ProfileField field = name == null ? null : ProfileField.of(name).orElse(null);
        if (name != null && field == null) {
            invalid(at + "/field", "is not a profile field; one of " + String.join(", ", Arrays.stream(ProfileField.values()).map(ProfileField::json).toList()));
        }
        Operator operator = operator(node, at, field == null ? null : field.kind().operators());
        if (field == null || operator == null) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        JsonNode value = node.get("value");
        String valueAt = at + "/value";
        switch (operator) {
            case EXISTS -> {
                if (value != null && !value.isBoolean()) {
                    return invalid(valueAt, "must be true or false (or left out, meaning true)");
                }
                values.add(value == null || value.asBoolean());
            }
            case IN, NOT_IN -> {
                if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                    return invalid(valueAt, "must be an array of 1 to " + MAX_VALUES + " values");
                }
                for (int i = 0; i < value.size(); i++) {
                    values.add(profileValue(field, value.get(i), valueAt + "/" + i));
                }
            }
            case BETWEEN -> {
                if (value == null || !value.isArray() || value.size() != 2) {
                    return invalid(valueAt, "must be an array of two values, the lower and the upper bound (both included)");
                }
                values.add(profileValue(field, value.get(0), valueAt + "/0"));
                values.add(profileValue(field, value.get(1), valueAt + "/1"));
            }
            default -> values.add(profileValue(field, value, valueAt));
        }
        return values.contains(null) ? null : new ProfileCondition(field, operator, List.copyOf(values));
    }

    private Object profileValue(ProfileField field, JsonNode value, String at) {
        if (value == null || value.isNull()) {
            return invalid(at, "is required");
        }
        return switch (field.kind()) {
            case FOLDED -> value.isTextual() && !TextKeys.fold(value.asText()).isEmpty() && value.asText().length() <= MAX_TEXT
                    ? value.asText().strip() : invalid(at, "must be a name with a letter or digit, of at most " + MAX_TEXT + " characters");
            case TEXT, LOWER, GENDER -> value.isTextual() && !value.asText().isBlank() && value.asText().length() <= MAX_TEXT
                    ? value.asText().strip() : invalid(at, "must be a non-blank string of at most " + MAX_TEXT + " characters");
            case COUNTRY -> value.isTextual() && COUNTRY_CODE.matcher(value.asText()).matches()
                    ? value.asText().toUpperCase(Locale.ROOT) : invalid(at, "must be an ISO 3166-1 alpha-2 country code, such as TR");
            case NUMBER -> finite(value, at);
            case BOOLEAN -> value.isBoolean() ? value.asBoolean() : invalid(at, "must be true or false");
            case DATE -> date(value, at);
            case TIME -> instant(value, at);
            case PRESENCE -> invalid(at, "is not allowed: this field only supports exists");
        };
    }

    private Condition transaction(JsonNode node, String at) {
        allowOnly(node, at, "type", "metric", "operator", "value", "filter", "window");
        String metricName = text(node, "metric", at);
        Metric metric = null;
        if (metricName != null) {
            metric = switch (metricName) {
                case "count" -> Metric.COUNT;
                case "sum" -> Metric.SUM;
                case "avg" -> Metric.AVG;
                case "max" -> Metric.MAX;
                default -> invalid(at + "/metric", "must be count, sum, avg or max");
            };
        }
        Operator operator = operator(node, at, TRANSACTION_OPERATORS);
        List<BigDecimal> values = operator == null ? null : amounts(node.get("value"), at + "/value", operator, metric == Metric.COUNT);
        List<String> types = List.of();
        List<String> stores = List.of();
        JsonNode filter = node.get("filter");
        if (filter != null) {
            if (!filter.isObject()) {
                invalid(at + "/filter", "must be an object with transactionType and/or storeId");
            } else {
                allowOnly(filter, at + "/filter", "transactionType", "storeId");
                types = strings(filter.get("transactionType"), at + "/filter/transactionType", TRANSACTION_TYPES);
                stores = strings(filter.get("storeId"), at + "/filter/storeId", null);
            }
        }
        Window window = window(node.get("window"), at + "/window");
        if (metric == null || values == null || types == null || stores == null || window == null) {
            return null;
        }
        return new TransactionCondition(metric, operator, values, types, stores, window);
    }

    private Condition event(JsonNode node, String at) {
        allowOnly(node, at, "type", "event", "operator", "value", "properties", "where", "window");
        String event = null;
        if (node.has("event")) {
            event = text(node, "event", at);
            if (event != null && (event.isBlank() || event.length() > MAX_TEXT)) {
                event = invalid(at + "/event", "must be a non-blank event name of at most " + MAX_TEXT + " characters");
            }
        }
        Operator operator = operator(node, at, EVENT_OPERATORS);
        List<BigDecimal> values = null;
        if (operator == Operator.NEVER) {
            values = node.has("value") ? invalid(at + "/value", "is not allowed with never") : List.of();
        } else if (operator != null) {
            values = amounts(node.get("value"), at + "/value", operator, true);
        }
        int before = violations.size();
        List<EventFilter> where = new ArrayList<>();
        JsonNode properties = node.get("properties");
        if (properties != null) {
            if (!properties.isObject() || properties.size() > MAX_FILTERS) {
                invalid(at + "/properties", "must be an object of at most " + MAX_FILTERS + " properties the interaction must have");
            } else {
                properties.properties().forEach(property -> {
                    String propertyAt = at + "/properties/" + pointerEscape(property.getKey());
                    if (pathSegment(property.getKey(), propertyAt)) {
                        where.add(filter(EventValue.PROPERTIES, List.of(property.getKey()), Operator.EQ, property.getValue(), propertyAt));
                    }
                });
            }
        }
        JsonNode filters = node.get("where");
        if (filters != null) {
            if (!filters.isArray() || filters.isEmpty() || filters.size() > MAX_FILTERS) {
                invalid(at + "/where", "must be an array of 1 to " + MAX_FILTERS + " filters, each {field, operator, value}");
            } else {
                for (int i = 0; i < filters.size(); i++) {
                    where.add(filter(filters.get(i), at + "/where/" + i));
                }
            }
        }
        if (where.size() > MAX_FILTERS) {
            invalid(at + "/where", "with properties makes more than " + MAX_FILTERS + " filters");
        }
        Window window = window(node.get("window"), at + "/window");
        if ((node.has("event") && event == null) || values == null || window == null || violations.size() > before) {
            return null;
        }
        return new EventCondition(event, operator, values, List.copyOf(where), window);
    }

    /** One entry of an event condition's {@code where}: {@code {"field": "context.campaign.source", "operator": ..., "value": ...}}. */
    private EventFilter filter(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            return invalid(at, "must be an object with field, operator and value");
        }
        allowOnly(node, at, "field", "operator", "value");
        String field = text(node, "field", at);
        Operator operator = operator(node, at, FILTER_OPERATORS);
        if (field == null || operator == null) {
            return null;
        }
        String[] parts = field.split("\\.", -1);
        EventValue value = switch (parts[0]) {
            case "name" -> parts.length == 1 ? EventValue.NAME : null;
            case "category" -> parts.length == 1 ? EventValue.CATEGORY : null;
            case "properties" -> parts.length > 1 ? EventValue.PROPERTIES : null;
            case "context" -> parts.length > 1 ? EventValue.CONTEXT : null;
            default -> null;
        };
        if (value == null || parts.length > MAX_PATH + 1) {
            return invalid(at + "/field", "must be name, category, properties.<name> or context.<name>, "
                    + "with at most " + MAX_PATH + " names after the first, such as context.campaign.source");
        }
        List<String> path = List.of(parts).subList(1, parts.length);
        for (String segment : path) {
            if (!pathSegment(segment, at + "/field")) {
                return null;
            }
        }
        return filter(value, path, operator, node.get("value"), at + "/value");
    }

    /** A filter with its values checked against its operator; null (and reported) when they do not fit. */
    private EventFilter filter(EventValue value, List<String> path, Operator operator, JsonNode given, String at) {
        boolean textOnly = value == EventValue.NAME || value == EventValue.CATEGORY;
        List<Object> values = new ArrayList<>();
        switch (operator) {
            case EXISTS -> {
                if (given != null && !given.isBoolean()) {
                    return invalid(at, "must be true or false (or left out, meaning true)");
                }
                values.add(given == null || given.asBoolean());
            }
            case EQ, NEQ -> values.add(scalar(given, at, textOnly, true));
            case IN, NOT_IN -> {
                if (given == null || !given.isArray() || given.isEmpty() || given.size() > MAX_VALUES) {
                    return invalid(at, "must be an array of 1 to " + MAX_VALUES + " strings or numbers");
                }
                for (int i = 0; i < given.size(); i++) {
                    values.add(scalar(given.get(i), at + "/" + i, textOnly, false));
                }
                if (!values.contains(null) && values.stream().map(Object::getClass).distinct().count() > 1) {
                    return invalid(at, "must hold only strings or only numbers");
                }
            }
            case CONTAINS, STARTS_WITH -> values.add(scalar(given, at, true, false));
            case GT, GTE, LT, LTE -> values.add(number(given, at, textOnly));
            case BETWEEN -> {
                if (given == null || !given.isArray() || given.size() != 2) {
                    return invalid(at, "must be an array of two numbers, the lower and the upper bound (both included)");
                }
                values.add(number(given.get(0), at + "/0", textOnly));
                values.add(number(given.get(1), at + "/1", textOnly));
            }
            default -> {
                return invalid(at, "cannot be compared with " + operator.json());
            }
        }
        return values.contains(null) ? null : new EventFilter(value, path, operator, List.copyOf(values));
    }

    /** A string (non-blank, bounded), a number or, where allowed, a boolean. */
    private Object scalar(JsonNode value, String at, boolean textOnly, boolean booleans) {
        if (value != null && value.isTextual() && !value.asText().isBlank() && value.asText().length() <= MAX_TEXT) {
            return value.asText();
        }
        BigDecimal number = textOnly ? null : decimal(value);
        if (number != null) {
            return number;
        }
        if (!textOnly && booleans && value != null && value.isBoolean()) {
            return value.asBoolean();
        }
        return invalid(at, textOnly ? "must be a non-blank string of at most " + MAX_TEXT + " characters"
                : "must be a non-blank string of at most " + MAX_TEXT + " characters or a number" + (booleans ? ", or true or false" : ""));
    }

    private BigDecimal number(JsonNode value, String at, boolean textOnly) {
        if (textOnly) {
            return invalid(at, "cannot be a number: names and categories are compared as text");
        }
        return finite(value, at);
    }

    private BigDecimal finite(JsonNode value, String at) {
        BigDecimal number = decimal(value);
        return number != null ? number : invalid(at, "must be a finite number");
    }

    /** A JSON number as a decimal; null for anything else, and for a number too large for a double ({@code 1e400}). */
    private static BigDecimal decimal(JsonNode value) {
        if (value == null || !value.isNumber()
                || value.isFloatingPointNumber() && !value.isBigDecimal() && !Double.isFinite(value.doubleValue())) {
            return null;
        }
        return value.decimalValue();
    }

    /**
     * A name on a path into the properties or context: 1 to 64 characters, none of them a dot, quote, backslash or
     * control character, so that it can be written into the query as a quoted name.
     */
    private boolean pathSegment(String segment, String at) {
        if (PATH_SEGMENT.matcher(segment).matches()) {
            return true;
        }
        invalid(at, "has a name that is empty, longer than 64 characters or holds a quote, backslash or control character: "
                + (segment.length() > 64 ? segment.substring(0, 64) + "..." : segment));
        return false;
    }

    private Operator operator(JsonNode node, String at, Collection<Operator> allowed) {
        String name = text(node, "operator", at);
        if (name == null) {
            return null;
        }
        Operator operator = Operator.of(name).orElse(null);
        if (operator == null) {
            return invalid(at + "/operator", "is not an operator");
        }
        if (allowed != null && !allowed.contains(operator)) {
            return invalid(at + "/operator", "is not allowed here; allowed: "
                    + String.join(", ", allowed.stream().sorted().map(Operator::json).toList()));
        }
        return operator;
    }

    /** One number, or two for between; counts are whole and not negative. */
    private List<BigDecimal> amounts(JsonNode value, String at, Operator operator, boolean whole) {
        List<JsonNode> given = new ArrayList<>();
        if (operator == Operator.BETWEEN) {
            if (value == null || !value.isArray() || value.size() != 2) {
                return invalid(at, "must be an array of two numbers, the lower and the upper bound (both included)");
            }
            value.forEach(given::add);
        } else {
            given.add(value);
        }
        List<BigDecimal> amounts = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            JsonNode one = given.get(i);
            String where = operator == Operator.BETWEEN ? at + "/" + i : at;
            BigDecimal amount = decimal(one);
            if (amount == null || amount.signum() < 0 || whole && amount.stripTrailingZeros().scale() > 0) {
                return invalid(where, whole ? "must be a whole number, 0 or more" : "must be a number, 0 or more");
            }
            amounts.add(amount);
        }
        return amounts;
    }

    /** A string or an array of strings, each one of {@code allowed} when given; empty when absent; null when invalid. */
    private List<String> strings(JsonNode value, String at, Set<String> allowed) {
        if (value == null) {
            return List.of();
        }
        List<JsonNode> given = new ArrayList<>();
        if (value.isArray() && !value.isEmpty() && value.size() <= MAX_VALUES) {
            value.forEach(given::add);
        } else {
            given.add(value);
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode one : given) {
            if (!one.isTextual() || one.asText().isBlank() || one.asText().length() > MAX_TEXT
                    || allowed != null && !allowed.contains(one.asText())) {
                return invalid(at, allowed != null ? "must be one of " + String.join(", ", allowed.stream().sorted().toList()) + ", or an array of them"
                        : "must be a non-blank string or an array of 1 to " + MAX_VALUES + " of them");
            }
            strings.add(one.asText());
        }
        return List.copyOf(strings);
    }

    /** An ISO-8601 period ("P30D", "P3M") or duration ("PT12H") back from now, or {"from": ..., "to": ...}. */
    private Window window(JsonNode value, String at) {
        if (value == null) {
            return Window.ALL_TIME;
        }
        if (value.isTextual()) {
            String text = value.asText().toUpperCase(Locale.ROOT);
            try {
                if (text.contains("T")) {
                    Duration duration = Duration.parse(text);
                    if (!duration.isNegative() && !duration.isZero() && duration.toDays() <= 36_600) {
                        return new Window(null, duration, null, null);
                    }
                } else {
                    Period period = Period.parse(text);
                    if (!period.isNegative() && !period.isZero() && period.toTotalMonths() <= 1_200 && period.getDays() <= 36_600) {
                        return new Window(period, null, null, null);
                    }
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            return invalid(at, "must be a positive ISO-8601 period of at most 100 years, such as P30D, P12W, P6M or PT12H");
        }
        if (value.isObject()) {
            allowOnly(value, at, "from", "to");
            Instant from = value.has("from") ? instant(value.get("from"), at + "/from") : null;
            Instant to = value.has("to") ? instant(value.get("to"), at + "/to") : null;
            if (from == null && to == null) {
                return value.has("from") || value.has("to") ? null : invalid(at, "needs from, to or both");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                return invalid(at, "from must be before to");
            }
            return new Window(null, null, from, to);
        }
        return invalid(at, "must be an ISO-8601 period (P30D) or an object with from and to");
    }

    private Instant instant(JsonNode value, String at) {
        Instant instant = value != null && value.isTextual() ? IsoTimes.parse(value.asText()) : null;
        return instant != null && IsoTimes.supported(instant) ? instant
                : invalid(at, "must be an ISO-8601 date-time with an offset from the years 1-9999, such as 2026-01-31T00:00:00Z");
    }

    private LocalDate date(JsonNode value, String at) {
        try {
            LocalDate date = value.isTextual() ? LocalDate.parse(value.asText()) : null;
            if (date != null && IsoTimes.supportedYear(date.getYear())) {
                return date;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        return invalid(at, "must be an ISO-8601 date from the years 1-9999, such as 1990-05-17");
    }

    private String text(JsonNode node, String name, String at) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            return invalid(at + "/" + name, "is required and must be a string");
        }
        return value.asText();
    }

    private void allowOnly(JsonNode node, String at, String... names) {
        Set<String> allowed = Set.of(names);
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                invalid(at + "/" + pointerEscape(name), "is not a property of this node; allowed: " + String.join(", ", names));
            }
        });
    }

    private <T> T invalid(String at, String detail) {
        violations.add(new Violation(at.isEmpty() ? prefix : at, detail));
        return null;
    }

    private static String pointerEscape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
