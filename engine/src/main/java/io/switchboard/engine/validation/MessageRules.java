package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.store.Priority;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns one JSON message object ({@code {"from","to","type":"text","text":{"body"},"priority"}}) into an
 * {@link OutgoingMessage}, checked the way WhatsApp checks it, or says exactly what is wrong.
 */
public final class MessageRules {
    public static final int MAX_TEXT_LENGTH = 4_096;
    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private MessageRules() {}

    public static boolean isE164(String number) {
        return number != null && E164.matcher(number).matches();
    }

    /**
     * @param at the JSON path of this object, for error fields ("" for a top-level message)
     * @param ownsNumber whether the caller's project owns a business number
     * @param defaults where a field is missing: {@code from} and {@code to} (instant replies), or null
     */
    public static OutgoingMessage parse(JsonNode node, String at, Predicate<String> ownsNumber, OutgoingMessage defaults,
                                        Priority defaultPriority) {
        if (node == null || !node.isObject()) throw new InvalidInput("invalid_message", "a message must be a JSON object", path(at, ""));
        String from = text(node, "from", defaults == null ? null : defaults.from());
        if (from == null) throw new InvalidInput("missing_field", "from is required: the business number to send from", path(at, "from"));
        if (!ownsNumber.test(from)) {
            throw new InvalidInput("unknown_number", "from " + from + " is not a number of this project", path(at, "from"));
        }
        String to = text(node, "to", defaults == null ? null : defaults.to());
        if (to == null) throw new InvalidInput("missing_field", "to is required", path(at, "to"));
        if (!isE164(to)) {
            throw new InvalidInput("invalid_recipient", "to must be an E.164 number such as +919800000001, got '" + to + "'",
                    path(at, "to"));
        }
        String type = text(node, "type", "text");
        if (!"text".equals(type)) {
            throw new InvalidInput("unsupported_type", "type '" + type + "' is not supported; use text", path(at, "type"));
        }
        JsonNode body = node.path("text").path("body");
        if (!body.isTextual() || body.asText().isBlank()) {
            throw new InvalidInput("empty_body", "text.body must be a non-empty string", path(at, "text.body"));
        }
        int length = body.asText().codePointCount(0, body.asText().length());
        if (length > MAX_TEXT_LENGTH) {
            throw new InvalidInput("body_too_long", "text.body has " + length + " characters; the limit is " + MAX_TEXT_LENGTH,
                    path(at, "text.body"));
        }
        Priority priority = defaultPriority;
        JsonNode priorityNode = node.get("priority");
        if (priorityNode != null && !priorityNode.isNull()) {
            priority = Priority.parse(priorityNode.asText()).orElseThrow(() -> new InvalidInput("invalid_priority",
                    "priority must be one of urgent, high, normal, low", path(at, "priority")));
        }
        String payload = node.get("text").toString();
        return new OutgoingMessage(from, to, type, payload, priority);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static String path(String at, String field) {
        if (at.isEmpty()) return field;
        return field.isEmpty() ? at : at + "." + field;
    }
}
