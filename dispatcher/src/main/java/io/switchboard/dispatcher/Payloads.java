package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** The native JSON bodies of Webhook (an incoming message) and Event Webhook (a batch of status events) calls. */
final class Payloads implements PayloadFormat {
    private final ObjectMapper json;

    Payloads(ObjectMapper json) {
        this.json = json;
    }

    /**
     * {"id","project_id","from","to","type","text":{...},"timestamp","profile_name"?,"context"?:{"from","id"},
     * "referral"?}: the content object is named after its type; the rest as the network told it.
     */
    @Override
    public byte[] incoming(MessageRecord message, String payload, String origin) {
        ObjectNode body = json.createObjectNode();
        body.put("id", Ids.format(message.id()));
        body.put("project_id", message.projectId());
        body.put("from", message.peer());
        body.put("to", message.number());
        body.put("type", message.type());
        try {
            body.set(message.type(), json.readTree(payload));
            body.put("timestamp", Instant.ofEpochMilli(message.times().created()).toString());
            Told told = Told.of(origin, json);
            if (!told.name().isEmpty()) body.put("profile_name", told.name());
            if (told.context().isObject()) body.set("context", told.context());
            if (told.referral().isObject()) body.set("referral", told.referral());
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("message " + message.id() + " has a payload that is not JSON", e);
        }
    }

    /**
     * {"events":[{"id","message_id","status","number","recipient","timestamp","error"?,"errors"?,"conversation"?,
     * "pricing"?}]}: the last three as the network (Meta) told them with the status.
     */
    @Override
    public byte[] events(List<EventRecord> events) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("events");
        for (EventRecord event : events) {
            ObjectNode item = list.addObject();
            item.put("id", Ids.format(event.id()));
            item.put("message_id", Ids.format(event.messageId()));
            item.put("status", event.status().label());
            item.put("number", event.number());
            item.put("recipient", event.recipient());
            item.put("timestamp", Instant.ofEpochMilli(event.occurredAt()).toString());
            if (event.error() != null) item.put("error", event.error());
            Told told = Told.of(event.details(), json);
            if (told.errors().isArray()) item.set("errors", told.errors());
            if (told.conversation().isObject()) item.set("conversation", told.conversation());
            if (told.pricing().isObject()) item.set("pricing", told.pricing());
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
