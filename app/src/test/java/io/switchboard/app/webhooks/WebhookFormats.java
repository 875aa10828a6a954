package io.switchboard.app.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Receiver;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the three webhook formats back to the same few facts, so one test holds each of them: who wrote, under which
 * name, replying to which message (as the bot knows it: our id, bare), and what each status event said.
 */
public final class WebhookFormats {
    /** One incoming message as a format told it; "" for what it did not tell. */
    public record Incoming(String id, String from, String name, String contextId, String text, JsonNode raw) {}

    /**
     * One status event as a format told it: our message id, the status in Meta's words, the error code (Meta's when
     * it named one), the pricing category, and the event itself.
     */
    public record Event(String messageId, String status, String errorCode, String category, JsonNode raw) {}

    private WebhookFormats() {}

    public static Incoming incoming(String format, Receiver.Call call) {
        JsonNode body = call.body();
        return switch (format) {
            case "native" -> new Incoming(body.path("id").asText(), body.path("from").asText(), body.path("profile_name").asText(),
                    body.at("/context/id").asText(), body.at("/text/body").asText(), body);
            case "cloud" -> {
                JsonNode value = body.at("/entry/0/changes/0/value");
                JsonNode message = value.at("/messages/0");
                String context = message.at("/context/id").asText();
                yield new Incoming(message.path("id").asText().substring("wamid.".length()),
                        "+" + message.path("from").asText(), value.at("/contacts/0/profile/name").asText(),
                        context.startsWith("wamid.") ? context.substring("wamid.".length()) : context,
                        message.at("/text/body").asText(), message);
            }
            case "push" -> new Incoming(body.path("unique-id").asText(), "+" + body.path("number").asText(), body.path("name").asText(),
                    body.path("context-msg-id").asText(), body.path("message-in").asText(), body);
            default -> throw new IllegalArgumentException(format);
        };
    }

    public static List<Event> events(String format, List<Receiver.Call> calls) {
        List<Event> events = new ArrayList<>();
        for (Receiver.Call call : calls) {
            JsonNode body = call.body();
            switch (format) {
                case "native" -> body.path("events").forEach(e -> events.add(new Event(e.path("message_id").asText(),
                        e.path("status").asText(), e.at("/errors/0/code").asText(), e.at("/pricing/category").asText(), e)));
                case "cloud" -> body.path("entry").forEach(entry -> entry.path("changes").forEach(change ->
                        change.at("/value/statuses").forEach(s -> events.add(new Event(
                                s.path("id").asText().substring("wamid.".length()), s.path("status").asText(),
                                s.at("/errors/0/code").asText(), s.at("/pricing/category").asText(), s)))));
                case "push" -> body.path("data").forEach(d -> events.add(new Event(d.path("msg_id").asText(),
                        switch (d.path("status").asInt()) {
                            case 4 -> "sent";
                            case 1 -> "delivered";
                            case 3 -> "read";
                            case 2 -> "failed";
                            default -> "status " + d.path("status").asInt();
                        }, d.path("error_code").asText(), "", d)));
                default -> throw new IllegalArgumentException(format);
            }
        }
        return events;
    }
}
