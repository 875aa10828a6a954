package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static io.switchboard.dispatcher.CloudPayloads.digits;

/**
 * The provider's own webhook bodies (the guide's Push API users): incoming messages as {@code {"number",
 * "message-in","type","application","unique-id","project-id",...}} and status events as its Event Webhook,
 * {@code {"project_id","event_id":1,"data":[{"push_id","number","msg_id","status","error_code","error_message"}]}}
 * with its status codes (1 delivered, 2 failed, 3 read, 4 submitted). {@code push_id} is the message's callback value:
 * the id of the push it came in (absent for a message sent otherwise without one). Numbers are digits without "+",
 * as the provider writes them. Its {@code reference_number}, {@code message_type} and {@code channel_id} are not
 * written: an event does not know them.
 */
final class PushPayloads implements PayloadFormat {
    /** The provider's event kind for delivery reports. */
    private static final int DELIVERY_REPORT = 1;
    /** The provider's application id of WhatsApp Official. */
    private static final String APPLICATION = "8";

    private final ObjectMapper json;

    PushPayloads(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public byte[] incoming(MessageRecord message, String payload) {
        ObjectNode body = json.createObjectNode();
        body.put("number", digits(message.peer()));
        body.put("type", message.type());
        body.put("application", APPLICATION);
        body.put("unique-id", Ids.format(message.id()));
        body.put("project-id", message.projectId());
        try {
            JsonNode content = json.readTree(payload);
            body.put("message-in", content.path("body").asText(content.path("caption").asText("")));
            if (content.has("link")) body.put("media-url", content.get("link").asText());
            switch (message.type()) {
                case "location" -> body.set("Location", content);
                case "contacts" -> body.set("contact", content);
                case "interactive" -> body.set("interactive", content);
                default -> { }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("message " + message.id() + " has a payload that is not JSON", e);
        }
        return write(body);
    }

    @Override
    public boolean carriesCallbacks() {
        return true;
    }

    @Override
    public byte[] events(List<EventRecord> events) {
        ObjectNode body = json.createObjectNode();
        body.put("project_id", events.isEmpty() ? null : events.getFirst().projectId());
        body.put("event_id", DELIVERY_REPORT);
        ArrayNode data = body.putArray("data");
        for (EventRecord event : events) {
            ObjectNode item = data.addObject();
            if (event.callback() != null) item.put("push_id", event.callback());
            item.put("number", digits(event.recipient()));
            item.put("msg_id", Ids.format(event.messageId()));
            item.put("status", status(event.status()));
            if (event.error() != null || item.get("status").asInt() == 2) {
                item.put("error_code", event.status().label());
                item.put("error_message", event.error() == null ? event.status().label() : event.error());
            }
        }
        return write(body);
    }

    /** The provider's status code: 4 submitted (sent), 1 delivered, 3 read, 2 failed (and never sent). */
    static int status(MessageStatus status) {
        return switch (status) {
            case SENT -> 4;
            case DELIVERED -> 1;
            case READ -> 3;
            default -> 2;
        };
    }

    private byte[] write(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
