package dev.cdp.export.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent;
import dev.cdp.export.conversion.ConversionRule.Condition;
import dev.cdp.export.destination.DestinationKind;
import dev.cdp.problem.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The default rules of each platform, and rules as a user writes them, checked and bounded. */
public final class ConversionRules {

    static final int MAX_RULES = 50;
    static final int MAX_CONDITIONS = 20;
    static final int MAX_PARAMETERS = 30;
    static final int MAX_IN_VALUES = 100;
    static final int MAX_TEXT = 200;
    static final List<String> OPERATORS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "exists");
    private static final List<String> RULE_FIELDS = List.of("event", "sendAs", "when", "parameters");
    private static final List<String> CONDITION_FIELDS = List.of("property", "op", "value");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,49}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_$-]+(\\[\\])?(\\.[A-Za-z0-9_$-]+(\\[\\])?)*");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,30}");

    private static final Map<String, String> SALE = Map.of("value", "amount", "currency", "currency", "order_id", "transactionId",
            "content_ids", "items[].sku");
    private static final Map<String, String> PRODUCT = Map.of("value", "price", "currency", "currency", "content_ids", "sku");

    private ConversionRules() {
    }

    /**
     * What a destination sends when its rules are not set: a sale as a purchase with value, currency, order id and
     * items; {@code add_to_cart} and {@code product_view} (and Segment's {@code Product Added}, {@code Product Viewed})
     * with the product; {@code page_view} and a loyalty signup ({@code loyalty_signup}, Segment's {@code Signed Up}).
     * Google takes sales only, to the destination's conversion action.
     */
    public static List<ConversionRule> defaults(DestinationKind kind) {
        return switch (kind) {
            case META -> List.of(rule(StoredEvent.TRANSACTION, "Purchase", SALE), rule("add_to_cart", "AddToCart", PRODUCT),
                    rule("Product Added", "AddToCart", PRODUCT), rule("product_view", "ViewContent", PRODUCT),
                    rule("Product Viewed", "ViewContent", PRODUCT), rule("page_view", "PageView", Map.of()),
                    rule("loyalty_signup", "CompleteRegistration", Map.of()), rule("Signed Up", "CompleteRegistration", Map.of()));
            case TIKTOK -> List.of(rule(StoredEvent.TRANSACTION, "CompletePayment", SALE), rule("add_to_cart", "AddToCart", PRODUCT),
                    rule("Product Added", "AddToCart", PRODUCT), rule("product_view", "ViewContent", PRODUCT),
                    rule("Product Viewed", "ViewContent", PRODUCT), rule("page_view", "Pageview", Map.of()),
                    rule("loyalty_signup", "CompleteRegistration", Map.of()), rule("Signed Up", "CompleteRegistration", Map.of()));
            case GOOGLE -> List.of(new ConversionRule(StoredEvent.TRANSACTION, null, List.of(),
                    Map.of("value", "amount", "currency", "currency", "order_id", "transactionId")));
            case WEBHOOK -> List.of();
        };
    }

    private static ConversionRule rule(String event, String sendAs, Map<String, String> parameters) {
        return new ConversionRule(event, sendAs, List.of(), new LinkedHashMap<>(parameters));
    }

    /** The rules in {@code node} (a JSON array), with every problem added to {@code violations} under {@code field}. */
    public static List<ConversionRule> parse(JsonNode node, DestinationKind kind, String field, List<Violation> violations) {
        List<ConversionRule> rules = new ArrayList<>();
        if (node == null || !node.isArray() || node.size() > MAX_RULES) {
            violations.add(new Violation(field, "must be an array of at most " + MAX_RULES + " rules {event, sendAs, when, parameters}"));
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = field + "/" + i;
            JsonNode rule = node.get(i);
            if (!rule.isObject()) {
                violations.add(new Violation(at, "must be an object {event, sendAs, when, parameters}"));
                continue;
            }
            unknown(rule, RULE_FIELDS, at, violations);
            String event = text(rule.get("event"), at + "/event", true, violations);
            String sendAs = text(rule.get("sendAs"), at + "/sendAs", kind != DestinationKind.GOOGLE, violations);
            if (kind == DestinationKind.GOOGLE && sendAs != null && !DIGITS.matcher(sendAs).matches()) {
                violations.add(new Violation(at + "/sendAs", "must be a conversion action id (digits), or left out for the destination's"));
            }
            rules.add(new ConversionRule(event, sendAs, conditions(rule.get("when"), at + "/when", violations),
                    parameters(rule.get("parameters"), at + "/parameters", violations)));
        }
        return rules;
    }

    private static List<Condition> conditions(JsonNode node, String field, List<Violation> violations) {
        List<Condition> conditions = new ArrayList<>();
        if (node == null || node.isNull()) {
            return conditions;
        }
        if (!node.isArray() || node.size() > MAX_CONDITIONS) {
            violations.add(new Violation(field, "must be an array of at most " + MAX_CONDITIONS + " conditions {property, op, value}"));
            return conditions;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = field + "/" + i;
            JsonNode condition = node.get(i);
            if (!condition.isObject()) {
                violations.add(new Violation(at, "must be an object {property, op, value}"));
                continue;
            }
            unknown(condition, CONDITION_FIELDS, at, violations);
            String property = path(condition.get("property"), at + "/property", violations);
            String op = text(condition.get("op"), at + "/op", true, violations);
            JsonNode value = condition.get("value");
            if (op != null && !OPERATORS.contains(op)) {
                violations.add(new Violation(at + "/op", "must be one of " + OPERATORS));
            } else if ("in".equals(op)) {
                if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES
                        || !allScalars(value)) {
                    violations.add(new Violation(at + "/value", "must be an array of 1 to " + MAX_IN_VALUES + " texts or numbers"));
                }
            } else if ("exists".equals(op)) {
                if (value != null) {
                    violations.add(new Violation(at + "/value", "is not taken by exists"));
                }
            } else if (op != null && (value == null || !(value.isTextual() || value.isNumber()) || value.asText().length() > MAX_TEXT)) {
                violations.add(new Violation(at + "/value", "must be a text (at most " + MAX_TEXT + " characters) or a number"));
            } else if (op != null && List.of("gt", "gte", "lt", "lte").contains(op) && ConversionRule.number(value) == null) {
                violations.add(new Violation(at + "/value", "must be a number for " + op));
            }
            conditions.add(new Condition(property, op, value));
        }
        return conditions;
    }

    private static Map<String, String> parameters(JsonNode node, String field, List<Violation> violations) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject() || node.size() > MAX_PARAMETERS) {
            violations.add(new Violation(field, "must be an object of at most " + MAX_PARAMETERS + " platform parameters, each naming a property path"));
            return parameters;
        }
        node.fields().forEachRemaining(entry -> {
            String at = field + "/" + entry.getKey();
            if (!PARAMETER.matcher(entry.getKey()).matches()) {
                violations.add(new Violation(at, "is not a parameter name (letters, digits and _, at most 50)"));
            }
            String path = path(entry.getValue(), at, violations);
            if (path != null) {
                parameters.put(entry.getKey(), path);
            }
        });
        return parameters;
    }

    private static String path(JsonNode node, String field, List<Violation> violations) {
        String path = text(node, field, true, violations);
        if (path != null && !PATH.matcher(path).matches()) {
            violations.add(new Violation(field, "must be a property path such as amount, items.0.sku or items[].sku"));
            return null;
        }
        return path;
    }

    private static String text(JsonNode node, String field, boolean required, List<Violation> violations) {
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > MAX_TEXT) {
            violations.add(new Violation(field, "must be text of 1 to " + MAX_TEXT + " characters"));
            return null;
        }
        return node.asText().strip();
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode value : array) {
            if (!(value.isTextual() || value.isNumber()) || value.asText().length() > MAX_TEXT) {
                return false;
            }
        }
        return true;
    }

    private static void unknown(JsonNode object, List<String> allowed, String field, List<Violation> violations) {
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                violations.add(new Violation(field + "/" + name, "is not a property here; allowed: " + String.join(", ", allowed)));
            }
        });
    }
}
