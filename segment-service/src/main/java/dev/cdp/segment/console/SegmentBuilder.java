package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.TransactionFacts;
import dev.cdp.problem.Violation;
import dev.cdp.segment.console.BuilderNode.Filter;
import dev.cdp.segment.console.BuilderNode.Option;
import dev.cdp.segment.definition.DefinitionParser;
import dev.cdp.segment.definition.Operator;
import dev.cdp.segment.definition.ProfileField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The visual segment builder's translation between the definition language (JSON, what the API takes) and the form a
 * page shows: every construct of the language has a form field, so a definition made over the API opens in the builder
 * and is saved back unchanged in meaning. The definition parser stays the only judge of what is valid: its problems are
 * shown next to the field they name.
 *
 * <p>Form fields are named by node: {@code n.logic} for the root group, {@code n.0.type}, {@code n.0.field},
 * {@code n.0.value}, {@code n.0.value2} (between), {@code n.1.f0.field} for an event filter, and so on.
 */
public final class SegmentBuilder {

    static final String ROOT = "n";
    /** What "in the last" starts with when chosen. */
    static final String DEFAULT_PERIOD = "P30D";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern CHILD = Pattern.compile("(\\d+)\\..*");
    private static final Pattern FILTER = Pattern.compile("f(\\d+)\\..*");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern POINTER_STEP = Pattern.compile("/(conditions|where)/(\\d+)");

    private final Map<String, List<String>> form;
    private final ZoneId zone;

    private SegmentBuilder(Map<String, List<String>> form, ZoneId zone) {
        this.form = form;
        this.zone = zone;
    }

    /** A condition a new group or an "add condition" starts with. */
    static ObjectNode newCondition() {
        return JSON.objectNode().put("type", "profile").put("field", "city").put("operator", "eq").put("value", "");
    }

    /** An empty definition: one AND group with one condition to fill in. */
    public static ObjectNode empty() {
        ObjectNode root = JSON.objectNode().put("logic", "AND");
        root.putArray("conditions").add(newCondition());
        return root;
    }

    /** The definition the form describes, with the form's action (add or remove a node) applied. */
    public static ObjectNode definition(Map<String, List<String>> form, ZoneId zone) {
        SegmentBuilder builder = new SegmentBuilder(form, zone);
        ObjectNode root = builder.node(ROOT, 0);
        if (root.has("type")) { // the builder always shows a group at the root
            ObjectNode group = JSON.objectNode().put("logic", "AND");
            group.putArray("conditions").add(root);
            root = group;
        }
        String action = builder.first("action");
        return action.isEmpty() ? unwrapped(root) : apply(root, action);
    }

    /** A root AND of one condition is saved as that condition, as the language allows: the same meaning, plainer SQL. */
    private static ObjectNode unwrapped(ObjectNode root) {
        JsonNode conditions = root.path("conditions");
        return "AND".equals(root.path("logic").asText()) && conditions.size() == 1 && conditions.get(0).has("type")
                ? (ObjectNode) conditions.get(0) : root;
    }

    /** A definition as the builder shows it; {@code problems} maps node ids to what is wrong there. */
    public static BuilderNode view(JsonNode definition, Map<String, List<String>> problems, ZoneId zone) {
        JsonNode root = definition;
        if (root == null || !root.isObject() || !root.has("logic")) {
            ObjectNode group = JSON.objectNode().put("logic", "AND");
            group.putArray("conditions").add(root == null || !root.isObject() ? newCondition() : root);
            root = group;
        }
        return new SegmentBuilder(Map.of(), zone).view(root, ROOT, 0, problems);
    }

    /**
     * The parser's problems by the builder node they are in: {@code /definition/conditions/1/where/0/value must be a
     * number} is {@code n.1.f0 -> "value must be a number"}.
     */
    public static Map<String, List<String>> problems(List<Violation> violations, String prefix) {
        Map<String, List<String>> byNode = new HashMap<>();
        for (Violation violation : violations) {
            String pointer = violation.field();
            if (pointer == null || !pointer.startsWith(prefix)) {
                continue;
            }
            String rest = pointer.substring(prefix.length());
            StringBuilder id = new StringBuilder(ROOT);
            Matcher step = POINTER_STEP.matcher(rest);
            int end = 0;
            while (step.find() && step.start() == end) {
                id.append('.').append("where".equals(step.group(1)) ? "f" : "").append(step.group(2));
                end = step.end();
            }
            String field = rest.substring(end).replaceFirst("^/", "");
            byNode.computeIfAbsent(id.toString(), key -> new ArrayList<>())
                    .add(field.isEmpty() ? violation.detail() : field + " " + violation.detail());
        }
        return byNode;
    }

    // --- form to JSON -------------------------------------------------------------------------------------------

    private ObjectNode node(String id, int depth) {
        String logic = first(id + ".logic");
        if (!logic.isEmpty() && depth < DefinitionParser.MAX_DEPTH) {
            ObjectNode group = JSON.objectNode().put("logic", logic);
            ArrayNode conditions = group.putArray("conditions");
            for (int child : indices(id, CHILD)) {
                conditions.add(node(id + "." + child, depth + 1));
            }
            return group;
        }
        String type = first(id + ".type");
        String shown = first(id + ".shown");
        if (!shown.isEmpty() && !shown.equals(type)) {
            return fresh(type); // the kind was just changed: its own fields, not the old kind's
        }
        return switch (type) {
            case "transaction" -> transaction(id);
            case "event" -> event(id);
            default -> profile(id);
        };
    }

    /** A condition of a kind as it starts: at least one purchase or event, or a profile field to fill in. */
    private static ObjectNode fresh(String type) {
        return switch (type) {
            case "transaction" -> JSON.objectNode().put("type", "transaction").put("metric", "count").put("operator", "gte").put("value", 1);
            case "event" -> JSON.objectNode().put("type", "event").put("operator", "gte").put("value", 1);
            default -> newCondition();
        };
    }

    private ObjectNode profile(String id) {
        ProfileField field = Arrays.stream(ProfileField.values()).filter(f -> f.json().equals(first(id + ".field"))).findFirst()
                .orElse(ProfileField.CITY);
        List<Operator> allowed = List.copyOf(field.kind().operators());
        String operator = chosen(first(id + ".operator"), allowed);
        ObjectNode node = JSON.objectNode().put("type", "profile").put("field", field.json()).put("operator", operator);
        ProfileField.Kind kind = field.kind();
        boolean numeric = kind == ProfileField.Kind.NUMBER;
        if ("exists".equals(operator)) {
            node.put("value", !"false".equals(first(id + ".value")));
        } else if (kind == ProfileField.Kind.BOOLEAN) {
            node.put("value", !"false".equals(first(id + ".value")));
        } else {
            value(node, operator, id, text -> numeric ? number(text) : JSON.textNode(text));
        }
        return node;
    }

    private ObjectNode transaction(String id) {
        String metric = chosen(first(id + ".metric"), DefinitionParser.METRICS);
        String operator = chosen(first(id + ".operator"), DefinitionParser.TRANSACTION_OPERATORS);
        ObjectNode node = JSON.objectNode().put("type", "transaction").put("metric", metric).put("operator", operator);
        value(node, operator, id, SegmentBuilder::number);
        List<String> types = form.getOrDefault(id + ".transactionType", List.of()).stream().filter(TransactionFacts.TYPES::contains).toList();
        List<String> stores = list(first(id + ".stores"));
        if (!types.isEmpty() || !stores.isEmpty()) {
            ObjectNode filter = node.putObject("filter");
            if (!types.isEmpty()) {
                types.forEach(filter.withArray("transactionType")::add);
            }
            if (!stores.isEmpty()) {
                stores.forEach(filter.withArray("storeId")::add);
            }
        }
        window(node, id);
        return node;
    }

    private ObjectNode event(String id) {
        String operator = chosen(first(id + ".operator"), DefinitionParser.EVENT_OPERATORS);
        ObjectNode node = JSON.objectNode().put("type", "event");
        String event = first(id + ".event").strip();
        if (!event.isEmpty()) {
            node.put("event", event);
        }
        node.put("operator", operator);
        if (!"never".equals(operator)) {
            value(node, operator, id, SegmentBuilder::number);
        }
        List<Integer> filters = indices(id, FILTER);
        if (!filters.isEmpty()) {
            ArrayNode where = node.putArray("where");
            for (int index : filters) {
                String filterId = id + ".f" + index;
                String filterOperator = chosen(first(filterId + ".operator"), DefinitionParser.FILTER_OPERATORS);
                ObjectNode filter = where.addObject().put("field", first(filterId + ".field").strip()).put("operator", filterOperator);
                if ("exists".equals(filterOperator)) {
                    filter.put("value", !"false".equals(first(filterId + ".value")));
                } else {
                    value(filter, filterOperator, filterId, SegmentBuilder::typed);
                }
            }
        }
        window(node, id);
        return node;
    }

    /** The value (or values, for in, not_in and between) of a condition or filter, each read by {@code read}. */
    private void value(ObjectNode node, String operator, String id, java.util.function.Function<String, JsonNode> read) {
        String text = first(id + ".value").strip();
        switch (operator) {
            case "in", "not_in" -> {
                ArrayNode values = node.putArray("value");
                list(text).forEach(one -> values.add(read.apply(one)));
            }
            case "between" -> node.putArray("value").add(read.apply(text)).add(read.apply(first(id + ".value2").strip()));
            default -> node.set("value", read.apply(text));
        }
    }

    private void window(ObjectNode node, String id) {
        switch (first(id + ".window")) {
            case "period" -> {
                String period = first(id + ".period").strip();
                node.put("window", period.isEmpty() ? DEFAULT_PERIOD : period);
            }
            case "range" -> {
                ObjectNode range = node.putObject("window");
                String from = first(id + ".from");
                String to = first(id + ".to");
                if (!from.isBlank()) {
                    range.put("from", instant(from));
                }
                if (!to.isBlank()) {
                    range.put("to", instant(to));
                }
            }
            default -> {
                // all time: no window
            }
        }
    }

    /** A datetime-local input ({@code 2026-01-01T00:00}) in the console's zone, as the instant the language takes. */
    private String instant(String local) {
        try {
            return LocalDateTime.parse(local).atZone(zone).toInstant().toString();
        } catch (DateTimeParseException e) {
            return local; // the parser names it
        }
    }

    // --- actions ------------------------------------------------------------------------------------------------

    /** {@code add-condition:n.0}, {@code add-group:n.0}, {@code add-filter:n.0.1}, {@code remove:n.0.2}, {@code remove:n.0.1.f0}. */
    static ObjectNode apply(ObjectNode root, String action) {
        int colon = action.indexOf(':');
        if (colon < 0) {
            return root;
        }
        String verb = action.substring(0, colon);
        List<String> steps = List.of(action.substring(colon + 1).split("\\."));
        if (steps.isEmpty() || !ROOT.equals(steps.get(0))) {
            return root;
        }
        JsonNode target = root;
        JsonNode parent = null;
        String last = null;
        for (String step : steps.subList(1, steps.size())) {
            parent = target;
            last = step;
            target = step.startsWith("f") ? target.path("where").path(parseIndex(step.substring(1)))
                    : target.path("conditions").path(parseIndex(step));
        }
        if (!(target instanceof ObjectNode node)) {
            return root;
        }
        switch (verb) {
            case "add-condition" -> {
                if (node.has("logic")) {
                    node.withArray("conditions").add(newCondition());
                }
            }
            case "add-group" -> {
                if (node.has("logic") && steps.size() < DefinitionParser.MAX_DEPTH) {
                    ObjectNode group = JSON.objectNode().put("logic", "OR");
                    group.putArray("conditions").add(newCondition());
                    node.withArray("conditions").add(group);
                }
            }
            case "add-filter" -> {
                if ("event".equals(node.path("type").asText())) {
                    node.withArray("where").addObject().put("field", "properties.").put("operator", "eq").put("value", "");
                }
            }
            case "remove" -> {
                if (parent != null) {
                    ArrayNode siblings = (ArrayNode) (last.startsWith("f") ? parent.get("where") : parent.get("conditions"));
                    siblings.remove(parseIndex(last.startsWith("f") ? last.substring(1) : last));
                    if (siblings.isEmpty() && last.startsWith("f")) {
                        ((ObjectNode) parent).remove("where");
                    }
                }
            }
            default -> {
                // unknown: nothing to do
            }
        }
        return root;
    }

    private static int parseIndex(String text) {
        return NUMBER.matcher(text).matches() && text.length() < 4 ? Integer.parseInt(text) : -1;
    }

    // --- JSON to view -------------------------------------------------------------------------------------------

    private BuilderNode view(JsonNode node, String id, int depth, Map<String, List<String>> problems) {
        List<String> mine = problems.getOrDefault(id, List.of());
        if (node.has("logic")) {
            List<BuilderNode> children = new ArrayList<>();
            JsonNode conditions = node.path("conditions");
            for (int i = 0; i < conditions.size(); i++) {
                children.add(view(conditions.get(i), id + "." + i, depth + 1, problems));
            }
            return new BuilderNode(id, depth, node.path("logic").asText(), children, null, null, null, null, null, List.of(), List.of(),
                    null, null, null, List.of(), null, null, null, null, null, List.of(), mine);
        }
        String type = node.path("type").asText("profile");
        String operator = node.path("operator").asText("");
        String[] values = valueTexts(node.get("value"), operator, true);
        String windowKind = "all";
        String period = "";
        String from = "";
        String to = "";
        JsonNode window = node.get("window");
        if (window != null && window.isTextual()) {
            windowKind = "period";
            period = window.asText();
        } else if (window != null && window.isObject()) {
            windowKind = "range";
            from = local(window.path("from").asText(""));
            to = local(window.path("to").asText(""));
        }
        return switch (type) {
            case "transaction" -> {
                JsonNode filter = node.path("filter");
                List<String> types = strings(filter.get("transactionType"));
                List<Option> typeOptions = TransactionFacts.TYPES.stream().map(t -> new Option(t, t, types.contains(t))).toList();
                yield new BuilderNode(id, depth, null, List.of(), type, null, node.path("metric").asText("count"), null, operator, List.of(),
                        options(DefinitionParser.TRANSACTION_OPERATORS, operator), "number", values[0], values[1], typeOptions,
                        String.join(", ", strings(filter.get("storeId"))), windowKind, period, from, to, List.of(), mine);
            }
            case "event" -> {
                List<Filter> filters = new ArrayList<>();
                int index = 0;
                JsonNode properties = node.path("properties");
                for (Map.Entry<String, JsonNode> property : properties.properties()) {
                    filters.add(filter(id + ".f" + index++, "properties." + property.getKey(), "eq", property.getValue(), problems));
                }
                JsonNode where = node.path("where");
                for (int i = 0; i < where.size(); i++) {
                    JsonNode one = where.get(i);
                    filters.add(filter(id + ".f" + index++, one.path("field").asText(""), one.path("operator").asText("eq"), one.get("value"),
                            problems));
                }
                yield new BuilderNode(id, depth, null, List.of(), type, null, null, node.path("event").asText(""), operator, List.of(),
                        options(DefinitionParser.EVENT_OPERATORS, operator), "number", values[0], values[1], List.of(), null, windowKind, period, from,
                        to, filters, mine);
            }
            default -> {
                String fieldName = node.path("field").asText("city");
                ProfileField field = Arrays.stream(ProfileField.values()).filter(f -> f.json().equals(fieldName)).findFirst()
                        .orElse(ProfileField.CITY);
                List<Option> fields = Arrays.stream(ProfileField.values())
                        .map(f -> new Option(f.json(), "field_" + f.json(), f == field)).toList();
                List<Operator> allowed = field.kind().operators().stream().sorted().toList();
                String shown = field.kind() == ProfileField.Kind.BOOLEAN || "exists".equals(operator) ? values[0].isEmpty() ? "true" : values[0]
                        : values[0];
                String valueKind = switch (field.kind()) {
                    case NUMBER -> "number";
                    case BOOLEAN -> "boolean";
                    case DATE -> "date";
                    case TIME -> "time";
                    default -> "text";
                };
                yield new BuilderNode(id, depth, null, List.of(), "profile", field.json(), null, null, operator, fields,
                        options(allowed, operator), valueKind, shown, values[1], List.of(), null, windowKind, period, from, to, List.of(), mine);
            }
        };
    }

    private Filter filter(String id, String field, String operator, JsonNode value, Map<String, List<String>> problems) {
        String[] values = valueTexts(value, operator, false);
        return new Filter(id, field, operator, options(DefinitionParser.FILTER_OPERATORS, operator),
                "exists".equals(operator) && values[0].isEmpty() ? "true" : values[0], values[1], problems.getOrDefault(id, List.of()));
    }

    /**
     * A value as its inputs show it: a list joined by commas, a between's two bounds in two inputs. In a filter
     * ({@code plainText} false) text that reads as a number or a boolean is quoted, so it stays text when saved again.
     */
    private static String[] valueTexts(JsonNode value, String operator, boolean plainText) {
        if (value == null || value.isNull()) {
            return new String[] {"", ""};
        }
        if (value.isArray()) {
            List<String> each = new ArrayList<>();
            value.forEach(one -> each.add(text(one, plainText)));
            if ("between".equals(operator) && each.size() == 2) {
                return new String[] {each.get(0), each.get(1)};
            }
            return new String[] {String.join(", ", each), ""};
        }
        return new String[] {text(value, plainText), ""};
    }

    private static String text(JsonNode value, boolean plainText) {
        if (value.isTextual()) {
            String text = value.asText();
            return !plainText && (NUMBER.matcher(text).matches() || "true".equals(text) || "false".equals(text)) ? "\"" + text + "\"" : text;
        }
        return value.asText();
    }

    private String local(String instant) {
        try {
            return LocalDateTime.ofInstant(Instant.parse(instant), zone).truncatedTo(ChronoUnit.MINUTES).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static List<Option> options(List<Operator> operators, String chosen) {
        return operators.stream().map(o -> new Option(o.json(), "op_" + o.json(), o.json().equals(chosen))).toList();
    }

    // --- small readers ------------------------------------------------------------------------------------------

    String first(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    /** The child (or filter) indices present in the form under {@code id}, in order. */
    private List<Integer> indices(String id, Pattern pattern) {
        TreeMap<Integer, Boolean> found = new TreeMap<>();
        String prefix = id + ".";
        for (String key : form.keySet()) {
            if (key.startsWith(prefix)) {
                Matcher matcher = pattern.matcher(key.substring(prefix.length()));
                if (matcher.matches() && matcher.group(1).length() < 4) {
                    found.put(Integer.parseInt(matcher.group(1)), true);
                }
            }
        }
        return List.copyOf(found.keySet());
    }

    private static <T> String chosen(String given, List<T> allowed) {
        List<String> names = allowed.stream().map(a -> a instanceof Operator o ? o.json() : a.toString()).toList();
        return names.contains(given) ? given : names.get(0);
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(one -> !one.isEmpty()).toList();
    }

    private static List<String> strings(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> strings = new ArrayList<>();
        node.forEach(one -> strings.add(one.asText()));
        return strings;
    }

    /** A number when the text is one (the parser names anything else as not a number). */
    private static JsonNode number(String text) {
        try {
            return JSON.numberNode(new BigDecimal(text.replace(',', '.')));
        } catch (NumberFormatException e) {
            return JSON.textNode(text);
        }
    }

    /** A filter's value: a number, a boolean, or text ({@code "2000"} in quotes is the text 2000). */
    private static JsonNode typed(String text) {
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return JSON.textNode(text.substring(1, text.length() - 1));
        }
        if ("true".equals(text) || "false".equals(text)) {
            return JSON.booleanNode(Boolean.parseBoolean(text));
        }
        return NUMBER.matcher(text).matches() ? JSON.numberNode(new BigDecimal(text)) : JSON.textNode(text);
    }

    /** The form as the builder reads it, from a definition: used to check that every definition survives the round trip. */
    static Map<String, List<String>> form(BuilderNode node) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        fill(form, node);
        return form;
    }

    private static void fill(Map<String, List<String>> form, BuilderNode node) {
        if (node.isGroup()) {
            form.put(node.id() + ".logic", List.of(node.logic()));
            node.children().forEach(child -> fill(form, child));
            return;
        }
        String id = node.id();
        form.put(id + ".type", List.of(node.type()));
        put(form, id + ".field", node.field());
        put(form, id + ".metric", node.metric());
        put(form, id + ".event", node.event());
        put(form, id + ".operator", node.operator());
        put(form, id + ".value", node.value());
        put(form, id + ".value2", node.value2());
        form.put(id + ".transactionType", node.transactionTypes().stream().filter(Option::selected).map(Option::value).toList());
        put(form, id + ".stores", node.stores());
        put(form, id + ".window", node.windowKind());
        put(form, id + ".period", node.period());
        put(form, id + ".from", node.from());
        put(form, id + ".to", node.to());
        for (Filter filter : node.filters()) {
            put(form, filter.id() + ".field", filter.field());
            put(form, filter.id() + ".operator", filter.operator());
            put(form, filter.id() + ".value", filter.value());
            put(form, filter.id() + ".value2", filter.value2());
        }
    }

    private static void put(Map<String, List<String>> form, String name, String value) {
        if (value != null) {
            form.put(name, List.of(value));
        }
    }
}
