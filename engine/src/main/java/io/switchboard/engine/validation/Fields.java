package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Reading the fields of a message's JSON and failing with an {@link InvalidInput} that names the field by its JSON
 * path ({@code messages[3].interactive.action.buttons[1].reply.title}) and, for a limit, the limit. Lengths are in
 * characters as a person counts them (Unicode code points), so an emoji is one.
 */
public final class Fields {
    private Fields() {}

    /** {@code path.field}, or {@code field} at the top. */
    public static String path(String path, String field) {
        if (path.isEmpty()) return field;
        return field.isEmpty() ? path : path + "." + field;
    }

    /** {@code path[index]}. */
    public static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Fails on the first field of {@code object} that is not one of {@code allowed}. */
    public static void only(JsonNode object, String path, Set<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInput("unknown_field", path(path, name) + " is not a field here; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()), path(path, name));
            }
        }
    }

    /** The value at {@code path} must be a JSON object (and is answered). */
    public static JsonNode requireObject(JsonNode value, String path) {
        if (value == null || value.isNull()) throw missing(path);
        if (!value.isObject()) throw new InvalidInput("invalid_type", path + " must be an object", path);
        return value;
    }

    public static JsonNode object(JsonNode parent, String name, String path) {
        return requireObject(parent.get(name), path(path, name));
    }

    /** The object, or null when the field is absent. */
    public static JsonNode optionalObject(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        return value == null || value.isNull() ? null : requireObject(value, path(path, name));
    }

    /** A required, non-blank string of at most {@code max} characters. */
    public static String text(JsonNode parent, String name, String path, int max) {
        String field = path(path, name);
        String text = string(parent.get(name), field);
        if (text == null) throw missing(field);
        if (text.isBlank()) throw new InvalidInput("empty_field", field + " must not be empty", field);
        return limit(text, field, max);
    }

    /** An optional string of at most {@code max} characters; null when absent. */
    public static String optionalText(JsonNode parent, String name, String path, int max) {
        String field = path(path, name);
        String text = string(parent.get(name), field);
        return text == null ? null : limit(text, field, max);
    }

    /** An optional string of any length (the payload's size bounds it); null when absent. */
    public static String optionalText(JsonNode parent, String name, String path) {
        return optionalText(parent, name, path, Integer.MAX_VALUE);
    }

    private static String string(JsonNode value, String field) {
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new InvalidInput("invalid_type", field + " must be a string", field);
        return value.asText();
    }

    private static String limit(String text, String field, int max) {
        int length = length(text);
        if (length > max) {
            throw new InvalidInput("too_long", field + " has " + length + " characters; the limit is " + max, field);
        }
        return text;
    }

    /** A required array of {@code min} to {@code max} items. */
    public static JsonNode array(JsonNode parent, String name, String path, int min, int max) {
        String field = path(path, name);
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) throw missing(field);
        return count(value, field, min, max);
    }

    /** An optional array of at most {@code max} items; null when absent. */
    public static JsonNode optionalArray(JsonNode parent, String name, String path, int max) {
        JsonNode value = parent.get(name);
        return value == null || value.isNull() ? null : count(value, path(path, name), 0, max);
    }

    /** {@code value} must be an array of {@code min} to {@code max} items. */
    public static JsonNode count(JsonNode value, String field, int min, int max) {
        if (!value.isArray()) throw new InvalidInput("invalid_type", field + " must be an array", field);
        if (value.size() < min) {
            throw new InvalidInput("too_few", field + " has " + value.size() + " items; at least " + min
                    + (min == 1 ? " is" : " are") + " required", field);
        }
        if (value.size() > max) {
            throw new InvalidInput("too_many", field + " has " + value.size() + " items; the limit is " + max, field);
        }
        return value;
    }

    /** An optional boolean. */
    public static void optionalBoolean(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw new InvalidInput("invalid_type", path(path, name) + " must be true or false", path(path, name));
        }
    }

    /** A required string that must be one of {@code values}. */
    public static String oneOf(JsonNode parent, String name, String path, Set<String> values) {
        String text = text(parent, name, path, Integer.MAX_VALUE);
        if (!values.contains(text)) {
            throw new InvalidInput("unsupported_value", path(path, name) + " is '" + text + "'; it must be one of "
                    + String.join(", ", values.stream().sorted().toList()), path(path, name));
        }
        return text;
    }

    /** An object whose fields, all optional, are strings from {@code allowed}. */
    public static void stringsOnly(JsonNode object, String path, Set<String> allowed) {
        only(object, path, allowed);
        for (String name : allowed) optionalText(object, name, path);
    }

    public static InvalidInput missing(String field) {
        return new InvalidInput("missing_field", field + " is required", field);
    }

    public static InvalidInput duplicate(String field, String value) {
        return new InvalidInput("duplicate", field + " '" + value + "' is used twice; it must be unique in the message",
                field);
    }
}
