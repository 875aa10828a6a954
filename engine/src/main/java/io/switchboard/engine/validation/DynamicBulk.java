package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.OutgoingMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dynamic bulk request: one shared {@code text} or {@code template} message with {@code {{name}}} placeholders and
 * {@code "recipients":[{"to","variables":{...}}]}, expanded into one message per recipient, in recipient order.
 * Each expanded message is then checked like any other, so a text that grows past 4,096 characters with one
 * recipient's variables is refused naming that recipient ({@code recipients[7].text.body}).
 */
public final class DynamicBulk {
    public static final int MAX_RECIPIENTS = 1_000;
    private static final Set<String> TYPES = Set.of("text", "template");

    private DynamicBulk() {}

    /** Whether the body is a dynamic bulk request. */
    public static boolean is(JsonNode body) {
        return body.has("recipients");
    }

    public static List<OutgoingMessage> parse(JsonNode body, MessageRules.Settings settings) {
        String type = body.path("type").asText("text");
        if (!TYPES.contains(type)) {
            throw new InvalidInput("unsupported_type", "a message with recipients is text or template, not '" + type + "'",
                    "type");
        }
        if (body.has("to")) {
            throw new InvalidInput("conflicting_fields", "give the recipients in recipients[].to, not in to", "to");
        }
        JsonNode shared = body.get(type);
        if (shared == null || shared.isNull()) throw Fields.missing(type);
        Placeholders.check(shared, type);
        JsonNode recipients = Fields.count(body.get("recipients"), "recipients", 1, MAX_RECIPIENTS);
        ObjectNode base = ((ObjectNode) body).deepCopy();
        base.remove("recipients");
        List<OutgoingMessage> messages = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            String at = Fields.item("recipients", i);
            JsonNode recipient = Fields.requireObject(recipients.get(i), at);
            Fields.only(recipient, at, Set.of("to", "variables"));
            ObjectNode message = base.deepCopy();
            message.set("to", recipient.get("to"));
            message.set(type, Placeholders.expand(shared, variables(recipient, at), Fields.path(at, "variables")));
            try {
                messages.add(MessageRules.parse(message, at, settings));
            } catch (InvalidInput invalid) {
                throw blame(invalid, at, type);
            }
        }
        return messages;
    }

    private static Map<String, String> variables(JsonNode recipient, String at) {
        JsonNode variables = Fields.optionalObject(recipient, "variables", at);
        Map<String, String> values = new HashMap<>();
        if (variables == null) return values;
        for (Map.Entry<String, JsonNode> field : variables.properties()) {
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isNumber()) {
                String path = Fields.path(Fields.path(at, "variables"), field.getKey());
                throw new InvalidInput("invalid_type", path + " must be a string or a number", path);
            }
            values.put(field.getKey(), value.asText());
        }
        return values;
    }

    /**
     * Names the recipient only for what differs per recipient (its {@code to} and its expanded message); a fault in a
     * shared field ({@code from}, {@code priority}, ...) is the request's, so it is named as the request has it.
     */
    private static InvalidInput blame(InvalidInput invalid, String at, String type) {
        String field = invalid.field();
        if (field == null || !field.startsWith(at + ".")) return invalid;
        String inMessage = field.substring(at.length() + 1);
        if (inMessage.equals("to") || inMessage.equals(type) || inMessage.startsWith(type + ".")
                || inMessage.startsWith(type + "[")) {
            return invalid;
        }
        return new InvalidInput(invalid.code(), invalid.getMessage(), inMessage);
    }
}
