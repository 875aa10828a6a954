package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{name}}} placeholders in the strings of a message object, filled in per recipient. A placeholder is two
 * braces, a name of letters, digits and underscores (spaces around it allowed), and two braces; any other {@code {{}
 * is malformed. Values go in as written: a value that itself looks like a placeholder is not expanded again.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private Placeholders() {}

    /** Fails on the first malformed placeholder in any string of {@code tree}, naming that string's path. */
    public static void check(JsonNode tree, String path) {
        if (tree.isTextual()) {
            String text = tree.asText();
            Matcher matcher = PLACEHOLDER.matcher(text);
            for (int open = text.indexOf("{{"); open >= 0; open = text.indexOf("{{", open + 2)) {
                if (!matcher.region(open, text.length()).lookingAt()) {
                    String near = text.substring(open, Math.min(text.length(), open + 20));
                    throw new InvalidInput("invalid_placeholder", path + " has a malformed placeholder at '" + near
                            + "'; write {{name}} with a name of letters, digits and underscores", path);
                }
                open = matcher.end() - 2;
            }
        } else if (tree.isArray()) {
            for (int i = 0; i < tree.size(); i++) check(tree.get(i), Fields.item(path, i));
        } else if (tree.isObject()) {
            for (Map.Entry<String, JsonNode> field : tree.properties()) {
                check(field.getValue(), Fields.path(path, field.getKey()));
            }
        }
    }

    /**
     * A copy of {@code tree} (already {@link #check checked}) with every placeholder replaced by its variable. A
     * placeholder without a variable fails, naming {@code variablesPath.name}.
     */
    public static JsonNode expand(JsonNode tree, Map<String, String> variables, String variablesPath) {
        if (tree.isTextual()) {
            Matcher matcher = PLACEHOLDER.matcher(tree.asText());
            if (!matcher.find()) return tree;
            StringBuilder out = new StringBuilder();
            do {
                String value = variables.get(matcher.group(1));
                if (value == null) {
                    String field = Fields.path(variablesPath, matcher.group(1));
                    throw new InvalidInput("missing_variable", field + " is needed for the placeholder {{"
                            + matcher.group(1) + "}}", field);
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            } while (matcher.find());
            matcher.appendTail(out);
            return TextNode.valueOf(out.toString());
        }
        if (tree.isArray()) {
            ArrayNode copy = ((ArrayNode) tree).arrayNode(tree.size());
            for (JsonNode item : tree) copy.add(expand(item, variables, variablesPath));
            return copy;
        }
        if (tree.isObject()) {
            ObjectNode copy = ((ObjectNode) tree).objectNode();
            for (Map.Entry<String, JsonNode> field : tree.properties()) {
                copy.set(field.getKey(), expand(field.getValue(), variables, variablesPath));
            }
            return copy;
        }
        return tree;
    }
}
