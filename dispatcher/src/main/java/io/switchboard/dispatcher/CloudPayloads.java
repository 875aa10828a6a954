package io.switchboard.dispatcher;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of Meta's WhatsApp Cloud API webhooks, so bot code written for the Cloud API takes our calls
 * unchanged: {"object":"whatsapp_business_account","entry":[{"id":project,"changes":[{"field":"messages",
 * "value":{"messaging_product","metadata","contacts"|"statuses",...}}]}]}. Numbers are digits without "+" and
 * timestamps epoch seconds as strings, as Meta sends them; message ids are ours behind Meta's "wamid." prefix.
 *
 * <p>The output is ASCII only, non-ASCII characters escaped as {@code \u00e9} with lowercase hex digits (an emoji
 * as its surrogate pair), which is what Meta signs: receivers that verify the signature over a re-serialised
 * body only agree with it then.
 */
final class CloudPayloads implements PayloadFormat {
    /** Meta's code for an error with no more specific code; our errors are text only. */
    private static final int GENERIC_ERROR = 131000;
    /** Meta's title for that code, for a failure that came without a reason. */
    private static final String GENERIC_TITLE = "Something went wrong";

    private static final String WAMID = "wamid.";
    /** An error that names Meta's code first, as "131048: Spam rate limit hit". */
    private static final java.util.regex.Pattern META_CODED = java.util.regex.Pattern.compile("(\\d{1,9}): (.+)", java.util.regex.Pattern.DOTALL);

    private final ObjectMapper json;

    CloudPayloads(ObjectMapper json) {
        // A copy: the caller's mapper writes the native format and the API's answers, which keep UTF-8.
        ObjectMapper ascii = json.copy();
        ascii.getFactory()
                .configure(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true)
                .configure(JsonWriteFeature.WRITE_HEX_UPPER_CASE.mappedFeature(), false);
        this.json = ascii;
    }

    /**
     * One entry, one change, with the peer as the only contact, named as the network told. Meta's contact always has
     * a profile, and Cloud API libraries read its name unguarded (whatsapp-api-js fails without it), so a name not
     * told is "". A reply carries {@code context{from,id}}, the id a wamid as the bot knows it (ours behind
     * "wamid.", or Meta's own for a message we do not know); a user from an ad Meta's {@code referral}, as sent.
     */
    @Override
    public byte[] incoming(MessageRecord message, String payload, String origin) {
        ObjectNode body = json.createObjectNode();
        ObjectNode value = change(entry(body, message.projectId()), message.number());
        String from = digits(message.peer());
        Told told = Told.of(origin, json);
        value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", told.name());
        ObjectNode item = value.putArray("messages").addObject();
        item.put("from", from);
        item.put("id", wamid(message.id()));
        item.put("timestamp", seconds(message.times().created()));
        item.put("type", message.type());
        if (told.context().isObject()) {
            String id = told.contextId();
            item.putObject("context").put("from", told.context().path("from").asText(""))
                    .put("id", id.startsWith(WAMID) ? id : WAMID + id);
        }
        if (told.referral().isObject()) item.set("referral", told.referral());
        try {
            JsonNode content = json.readTree(payload);
            // A reaction names the message by our id (or, for one we do not know, Meta's wamid): a wamid either way.
            if (message.type().equals("reaction") && content instanceof ObjectNode reaction
                    && reaction.hasNonNull("message_id") && !reaction.path("message_id").asText().startsWith(WAMID)) {
                reaction.put("message_id", WAMID + reaction.path("message_id").asText());
            }
            item.set(message.type(), content);
        } catch (IOException e) {
            throw new UncheckedIOException("message " + message.id() + " has a payload that is not JSON", e);
        }
        return write(body);
    }

    @Override
    public boolean readsMessages() {
        return true;
    }

    /**
     * One entry (a batch is one project's), with a change for each business number in the order they first
     * appear, each listing that number's statuses in the batch's order: Meta sends one phone number's statuses
     * per change, and bots find the number in its metadata.
     */
    @Override
    public byte[] events(List<EventRecord> events) {
        ObjectNode body = json.createObjectNode();
        if (events.isEmpty()) {
            body.put("object", "whatsapp_business_account").putArray("entry");
            return write(body);
        }
        ArrayNode changes = entry(body, events.getFirst().projectId());
        Map<String, ArrayNode> statuses = new HashMap<>();
        for (EventRecord event : events) {
            ObjectNode item = statuses
                    .computeIfAbsent(event.number(), number -> change(changes, number).putArray("statuses"))
                    .addObject();
            item.put("id", wamid(event.messageId()));
            // Meta knows no expired or cancelled status: a Cloud API bot hears them as failed, the reason in the title.
            boolean notSent = event.status() == MessageStatus.EXPIRED || event.status() == MessageStatus.CANCELLED;
            item.put("status", notSent ? MessageStatus.FAILED.label() : event.status().label());
            item.put("timestamp", seconds(event.occurredAt()));
            item.put("recipient_id", digits(event.recipient()));
            // Meta echoes the value the message was sent with in each of its statuses, and only then.
            if (event.callback() != null) item.put("biz_opaque_callback_data", event.callback());
            Told told = Told.of(event.details(), json);
            if (told.conversation().isObject()) item.set("conversation", told.conversation());
            if (told.pricing().isObject()) item.set("pricing", told.pricing());
            if (told.errors().isArray() && !told.errors().isEmpty()) {
                item.set("errors", told.errors()); // Meta's own, as Meta sent them
            } else if (event.error() != null || event.status() == MessageStatus.FAILED || notSent) {
                // Meta always names an error on a failed status; bots read errors[0] without looking first. An error
                // of ours that starts with Meta's code (a send the Graph API refused, a file Meta would not take)
                // keeps that code.
                String title = notSent ? event.status().label() + ": the message was not sent"
                        : event.error() != null ? event.error() : GENERIC_TITLE;
                java.util.regex.Matcher coded = META_CODED.matcher(title);
                boolean meta = !notSent && coded.matches();
                String message = meta ? coded.group(2) : title;
                item.putArray("errors").addObject().put("code", meta ? Integer.parseInt(coded.group(1)) : GENERIC_ERROR)
                        .put("title", message).put("message", message).putObject("error_data").put("details", title);
            }
        }
        return write(body);
    }

    /** The envelope with its one entry; returns the entry's changes. */
    private static ArrayNode entry(ObjectNode body, String projectId) {
        body.put("object", "whatsapp_business_account");
        ObjectNode entry = body.putArray("entry").addObject();
        entry.put("id", projectId);
        return entry.putArray("changes");
    }

    /** A "messages" change for one business number; returns its value, to fill with messages or statuses. */
    private static ObjectNode change(ArrayNode changes, String number) {
        ObjectNode change = changes.addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        String digits = digits(number);
        value.putObject("metadata").put("display_phone_number", digits).put("phone_number_id", digits);
        return value;
    }

    private byte[] write(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An E.164 number as Meta writes it: digits, no "+". */
    static String digits(String number) {
        return number != null && number.startsWith("+") ? number.substring(1) : number;
    }

    private static String wamid(long id) {
        return WAMID + Ids.format(id);
    }

    private static String seconds(long epochMillis) {
        return Long.toString(Math.floorDiv(epochMillis, 1000L));
    }
}
