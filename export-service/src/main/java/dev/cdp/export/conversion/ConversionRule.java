package dev.cdp.export.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.TextKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stored events a destination receives, and as what: events named {@code event} that meet every condition of
 * {@code when} are sent as {@code sendAs} (for Google, a conversion action id; null: the destination's own), with
 * the platform parameters named in {@code parameters} taken from the event's properties by path ({@code amount},
 * {@code items.0.sku}, {@code items[].sku} for every item's). {@code value} is sent as a number and {@code currency} as
 * an upper-case code; a parameter the event does not have is left out. Parsed and checked by {@link ConversionRules}.
 */
@RegisterForReflection
public record ConversionRule(String event, String sendAs, List<Condition> when, Map<String, String> parameters) {

    /** A condition on one property: {@code eq}, {@code ne}, {@code gt}, {@code gte}, {@code lt}, {@code lte}, {@code in}, {@code exists}. */
    @RegisterForReflection
    public record Condition(String property, String op, JsonNode value) {

        boolean holds(JsonNode properties) {
            JsonNode actual = ConversionRule.resolve(properties, property);
            if (op.equals("exists")) {
                return actual != null;
            }
            if (actual == null) {
                return op.equals("ne");
            }
            return switch (op) {
                case "eq" -> same(actual, value);
                case "ne" -> !same(actual, value);
                case "in" -> {
                    for (JsonNode candidate : value) {
                        if (same(actual, candidate)) {
                            yield true;
                        }
                    }
                    yield false;
                }
                default -> {
                    BigDecimal left = number(actual);
                    BigDecimal right = number(value);
                    if (left == null || right == null) {
                        yield false;
                    }
                    int order = left.compareTo(right);
                    yield switch (op) {
                        case "gt" -> order > 0;
                        case "gte" -> order >= 0;
                        case "lt" -> order < 0;
                        default -> order <= 0;
                    };
                }
            };
        }

        /** Numbers by value (500 = 500.00 = "500"), everything else by text. */
        private static boolean same(JsonNode actual, JsonNode expected) {
            BigDecimal left = number(actual);
            BigDecimal right = number(expected);
            if (left != null && right != null && (actual.isNumber() || expected.isNumber())) {
                return left.compareTo(right) == 0;
            }
            return actual.isValueNode() && expected.isValueNode() && actual.asText().equals(expected.asText());
        }
    }

    public boolean matches(StoredEvent stored) {
        if (!event.equals(stored.event())) {
            return false;
        }
        for (Condition condition : when) {
            if (!condition.holds(stored.properties())) {
                return false;
            }
        }
        return true;
    }

    /** The parameters the event has, typed as the platforms want them. */
    public Map<String, JsonNode> parametersOf(StoredEvent stored) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        parameters.forEach((name, path) -> {
            JsonNode value = resolve(stored.properties(), path);
            if (value == null) {
                return;
            }
            switch (name) {
                case "value" -> {
                    BigDecimal number = number(value);
                    if (number != null) {
                        values.put(name, JsonNodeFactory.instance.numberNode(number));
                    }
                }
                case "currency" -> {
                    if (value.isTextual() && value.asText().strip().length() == 3) {
                        values.put(name, JsonNodeFactory.instance.textNode(TextKeys.code(value.asText().strip())));
                    }
                }
                case "content_ids" -> {
                    ArrayNode ids = JsonNodeFactory.instance.arrayNode();
                    for (JsonNode id : value.isArray() ? value : List.of(value)) {
                        if (id.isValueNode() && !id.isNull()) {
                            ids.add(id.asText());
                        }
                    }
                    if (!ids.isEmpty()) {
                        values.put(name, ids);
                    }
                }
                default -> values.put(name, value);
            }
        });
        return values;
    }

    /**
     * The value at a dot path ({@code items.0.sku}); a segment ending in {@code []} takes every element of an array
     * and the result is an array. Null when there is nothing there.
     */
    static JsonNode resolve(JsonNode root, String path) {
        List<JsonNode> current = List.of(root == null ? JsonNodeFactory.instance.missingNode() : root);
        boolean many = false;
        for (String segment : path.split("\\.")) {
            boolean all = segment.endsWith("[]");
            String name = all ? segment.substring(0, segment.length() - 2) : segment;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                JsonNode child = node.isArray() && name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                        ? node.path(Integer.parseInt(name)) : node.path(name);
                if (all) {
                    child.forEach(next::add);
                } else if (!child.isMissingNode() && !child.isNull()) {
                    next.add(child);
                }
            }
            many |= all;
            current = next;
        }
        if (current.isEmpty()) {
            return null;
        }
        if (!many) {
            return current.get(0);
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        current.forEach(array::add);
        return array;
    }

    static BigDecimal number(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual() && node.asText().length() <= 40) {
            try {
                return new BigDecimal(node.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
