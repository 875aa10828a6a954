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
 * The provider's own webhook bodies (the guide's Push API users), every field its document names. Incoming messages:
 * {@code {"number","message-in","type","application","unique-id","project-id","name"?,"context-msg-id"?,
 * "media-url"?, and by type "contact","Location","interactive"}}. Status events, its Event Webhook's delivery
 * reports: {@code {"project_id","event_id":1,"data":[{"push_id","number","msg_id","status","reference_number",
 * "message_type","channel_id","error_code","error_message"}]}} with its status codes (4 submitted, 1 delivered,
 * 3 read, 2 failed, 5 refunded: a message that expired or was cancelled never went, and costs nothing).
 * {@code push_id} is the message's callback value: the id of the push it came in (absent for a message sent
 * otherwise without one); {@code reference_number} WhatsApp's id of the message (Meta's wamid), once it has one;
 * {@code channel_id} the provider's application of the road it went by: 101 Meta's Cloud API, 8 WhatsApp (the
 * network). Numbers are digits without "+", as the provider writes them.
 */
final class PushPayloads implements PayloadFormat {
    /** The provider's event kind for delivery reports. */
    private static final int DELIVERY_REPORT = 1;
    /** The provider's application (channel) ids: WhatsApp Official, and WhatsApp through Meta's Cloud API. */
    private static final String APPLICATION = "8";
    private static final String CLOUD_CHANNEL = "101";

    private final ObjectMapper json;

    PushPayloads(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public byte[] incoming(MessageRecord message, String payload, String origin) {
        ObjectNode body = json.createObjectNode();
        body.put("number", digits(message.peer()));
        body.put("type", message.type());
        body.put("application", APPLICATION);
        body.put("unique-id", Ids.format(message.id()));
        body.put("project-id", message.projectId());
        Told told = Told.of(origin, json);
        if (!told.name().isEmpty()) body.put("name", told.name());
        if (!told.contextId().isEmpty()) body.put("context-msg-id", told.contextId());
        try {
            JsonNode content = json.readTree(payload);
            body.put("message-in", content.path("body").asText(content.path("caption").asText("")));
            // A file a user sent: the node's own signed URL of it; a link as written otherwise.
            String media = content.path("url").asText(content.path("link").asText(""));
            if (!media.isEmpty()) body.put("media-url", media);
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
    public boolean readsMessages() {
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
            int status = status(event.status());
            item.put("status", status);
            EventRecord.Sent sent = event.sent();
            if (sent != null && sent.networkId() != null) item.put("reference_number", sent.networkId());
            if (sent != null && sent.type() != null) item.put("message_type", sent.type());
            item.put("channel_id", sent != null && sent.cloud() ? CLOUD_CHANNEL : APPLICATION);
            if (event.error() != null || status == FAILED || status == REFUNDED) {
                // Meta's code when Meta (or the network) named one, else ours.
                JsonNode error = Told.of(event.details(), json).errors().path(0);
                item.put("error_code", error.has("code") ? error.path("code").asText() : event.status().label());
                item.put("error_message", error.has("title") ? error.path("title").asText()
                        : event.error() == null ? event.status().label() : event.error());
            }
        }
        return write(body);
    }

    private static final int FAILED = 2, REFUNDED = 5;

    /** The provider's status code: 4 submitted (sent), 1 delivered, 3 read, 2 failed, 5 refunded (never sent). */
    static int status(MessageStatus status) {
        return switch (status) {
            case SENT -> 4;
            case DELIVERED -> 1;
            case READ -> 3;
            case EXPIRED, CANCELLED -> REFUNDED;
            default -> FAILED;
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
