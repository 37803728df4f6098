package dev.cdp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Where the values of a JSON document are, and a copy with one of them replaced: for tests that break inputs on purpose. */
public final class JsonTrees {

    private JsonTrees() {
    }

    /** The JSON pointer of every value under the root (objects and arrays included), in document order. */
    public static List<String> pointers(JsonNode root) {
        List<String> pointers = new ArrayList<>();
        collect(root, "", pointers);
        return pointers;
    }

    private static void collect(JsonNode node, String at, List<String> pointers) {
        if (!at.isEmpty()) {
            pointers.add(at);
        }
        if (node.isObject()) {
            node.properties().forEach(field -> collect(field.getValue(), at + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), pointers));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at + "/" + i, pointers);
            }
        }
    }

    /** A copy of {@code root} with the value at {@code pointer} (one of {@link #pointers}) replaced by {@code value}. */
    public static <T extends JsonNode> T replaced(T root, String pointer, JsonNode value) {
        T copy = root.deepCopy();
        int cut = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, cut));
        String last = pointer.substring(cut + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return copy;
    }
}
