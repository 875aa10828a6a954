package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.Ids;
import io.switchboard.store.Project;
import io.switchboard.store.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The provider's Push API as its guide describes it, for its users' code: {@code POST /api/v2/push} with the token
 * in the body, {@code application}, {@code globalmessage}, {@code globalmedia}, {@code priority} ("0" low, "1" high)
 * and {@code data[]{number,message}} (numbers in full international form without "+"), answered
 * {@code {"status":100,"push_id","message":"Success","data":[{"msg_id","number","credit"}]}} once durably stored.
 * Each message is checked by the same rules as {@code POST /v1/messages} and keeps the push's id, which its events
 * carry ({@code push_id}). It goes from the project's number, or {@code from} (ours) when the project has several.
 * Errors are ours ({@code {"error":{"code","message","field"}}}).
 */
final class PushRoutes {
    /** The provider's application ids: 8 WhatsApp Official, 101 its Cloud API channel. */
    private static final Set<String> APPLICATIONS = Set.of("8", "101");
    private static final Set<String> FIELDS = Set.of("token", "application", "globalmessage", "globalmedia", "priority",
            "data", "from");
    /** The provider's "accepted and queued". */
    private static final int ACCEPTED = 100;
    /** A media link's type by its file's extension; anything else goes as a document. */
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(Map.entry("jpg", "image"),
            Map.entry("jpeg", "image"), Map.entry("png", "image"), Map.entry("webp", "image"), Map.entry("mp4", "video"),
            Map.entry("3gp", "video"), Map.entry("mp3", "audio"), Map.entry("ogg", "audio"), Map.entry("aac", "audio"),
            Map.entry("amr", "audio"), Map.entry("opus", "audio"), Map.entry("m4a", "audio"));

    private final Api.Parts parts;
    private final Access access;
    private final Requests requests;
    private final ObjectMapper json;

    PushRoutes(Api.Parts parts, Access access, Requests requests) {
        this.parts = parts;
        this.access = access;
        this.requests = requests;
        this.json = parts.json();
    }

    void addTo(Javalin server) {
        server.post("/api/v2/push", this::push);
    }

    private void push(Context ctx) {
        // The token first, and only then the rest of the body: a caller without one costs no full parse.
        LeadingToken leading = LeadingToken.scan(bodyStream(ctx), json);
        String token = leading.token();
        Project project = access.admit(token == null || token.isBlank() ? null : "Bearer " + token, Scope.SEND)
                .project();
        JsonNode body = requests.body(leading.whole());
        if (!body.path("token").asText("").equals(token)) {
            throw ApiError.badRequest("invalid_json", "token must appear once", "token");
        }
        Fields.only(body, "", FIELDS);
        Fields.oneOf(body, "application", "", APPLICATIONS);
        String priority = switch (body.path("priority").asText("0")) {
            case "0" -> "low";
            case "1" -> "high";
            default -> throw ApiError.badRequest("invalid_priority", "priority must be \"0\" (low) or \"1\" (high)",
                    "priority");
        };
        String from = from(project, body);
        JsonNode data = Fields.array(body, "data", "", 1, Api.MAX_MESSAGES_PER_REQUEST);
        // The project's own number only: a "from" of another project's reads as unknown, as on /v1/messages.
        MessageRules.Settings settings = MessageRules.Settings.api(number -> number.equals(from) && parts.engine()
                .line(number).map(line -> line.project().id().equals(project.id())).orElse(false), parts.clock().millis(),
                parts.media().ids(project.id()));
        // Each message keeps the push's id as its callback value: its Event Webhook events carry it as push_id.
        String pushId = Ids.format(parts.ids().next());
        List<OutgoingMessage> outgoing = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            String at = Fields.item("data", i);
            ObjectNode message = message(body, data.get(i), at, from, priority).put("biz_opaque_callback_data", pushId);
            outgoing.add(MessageRules.parse(message, at, settings));
        }
        List<Engine.Accepted> accepted = MessageRoutes.join(parts.engine().accept(project, outgoing));
        ObjectNode answer = json.createObjectNode().put("status", ACCEPTED).put("push_id", pushId)
                .put("message", "Success");
        ArrayNode items = answer.putArray("data");
        for (Engine.Accepted a : accepted) {
            items.addObject().put("msg_id", Ids.format(a.id())).put("number", a.message().to().substring(1)).put("credit", 1);
        }
        requests.send(ctx, 200, answer);
    }

    private static InputStream bodyStream(Context ctx) {
        try {
            return ctx.req().getInputStream();
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the body could not be read: " + e.getMessage(), null);
        }
    }

    /** The sending number: {@code from}, or the project's only number. */
    private String from(Project project, JsonNode body) {
        if (body.hasNonNull("from")) return body.get("from").asText();
        List<String> numbers = parts.engine().lines().stream().filter(line -> line.project().id().equals(project.id()))
                .map(NumberLine::number).map(n -> n.number()).toList();
        if (numbers.size() == 1) return numbers.getFirst();
        throw ApiError.badRequest(numbers.isEmpty() ? "no_number" : "missing_field", numbers.isEmpty()
                ? "the project has no number to send from" : "from is required: the project has "
                + numbers.size() + " numbers", "from");
    }

    /** One recipient's message as the message rules take it: text, or the global media with the text as caption. */
    private ObjectNode message(JsonNode body, JsonNode item, String at, String from, String priority) {
        Fields.requireObject(item, at);
        Fields.only(item, at, Set.of("number", "message"));
        String number = Fields.text(item, "number", at, 20);
        String text = item.hasNonNull("message") ? Fields.text(item, "message", at, MessageRules.MAX_TEXT_LENGTH)
                : Fields.optionalText(body, "globalmessage", "");
        String media = Fields.optionalText(body, "globalmedia", "");
        ObjectNode message = json.createObjectNode().put("from", from)
                .put("to", "+" + number.replaceFirst("^(\\+|0+)", "")).put("priority", priority);
        if (media == null) {
            if (text == null) throw new InvalidInput("missing_field", "a message or globalmessage is required",
                    Fields.path(at, "message"));
            message.put("type", "text").putObject("text").put("body", text);
            return message;
        }
        String extension = media.replaceFirst("[?#].*$", "").replaceFirst("^.*\\.", "").toLowerCase(Locale.ROOT);
        String type = MEDIA_TYPES.getOrDefault(extension, "document");
        ObjectNode object = message.put("type", type).putObject(type).put("link", media);
        if (text != null && !type.equals("audio")) object.put("caption", text);
        return message;
    }
}
