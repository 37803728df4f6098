package dev.cdp.problem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.TextKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text PostgreSQL cannot store ({@link TextKeys#storable}) anywhere in a JSON document read as a tree: every string
 * and property name, each named by its JSON pointer. Bodies read into fields are checked by {@link StrictJson}.
 */
public final class StorableJson {

    private StorableJson() {
    }

    /** Adds a violation for each string or property name under {@code pointer} ("" for the root) that cannot be stored. */
    public static void check(JsonNode node, String pointer, List<Violation> violations) {
        if (node.isTextual()) {
            if (!TextKeys.storable(node.asText())) {
                violations.add(new Violation(pointer.isEmpty() ? "/" : pointer, TextKeys.UNSTORABLE));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), pointer + "/" + i, violations);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!TextKeys.storable(field.getKey())) { // named by its object: the name itself cannot be written back
                    violations.add(new Violation(pointer.isEmpty() ? "/" : pointer,
                            "has a property name with a character that cannot be stored (U+0000, or half of a surrogate pair)"));
                } else {
                    check(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), violations);
                }
            }
        }
    }

    /** A request body that holds such text is a 400 naming each place. */
    public static void require(JsonNode body) {
        if (body == null) {
            return;
        }
        List<Violation> violations = new ArrayList<>();
        check(body, "", violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
    }
}
