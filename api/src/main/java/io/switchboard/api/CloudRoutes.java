package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Direction;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Project;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Meta's WhatsApp Cloud API, taken as it is, so a bot or client library written for it works by changing only its
 * base URL: {@code POST /{version}/{phone_number_id}/messages} with the Cloud API's bodies, answered as the Cloud API
 * answers, errors in the Graph API's shape ({@link GraphErrors}). A number's {@code phone_number_id} is its digits
 * ({@code +919800000001} is {@code 919800000001}), as our Cloud-format webhooks name it in their metadata.
 *
 * <p>A message is checked by the same rules and queued the same way as one sent to {@code POST /v1/messages}; its
 * id is {@code wamid.<our id>}, which {@code GET /v1/messages/{id}} also takes. {@code {"status":"read",
 * "message_id"}} marks an incoming message read: the network hears it as a read report, paid from the budget.
 */
final class CloudRoutes {
    static final String PATH = "/{version}/{phone_number_id}/messages";
    /** Graph versions always have a minor part ({@code v23.0}), which keeps {@code /v1/...} out of this route. */
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");
    private static final Pattern GRAPH_PATH = Pattern.compile("/v[0-9]{1,3}\\.[0-9]{1,2}(/.*)?");
    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]{1,20}");
    static final String WAMID = "wamid.";
    private static final Set<String> READ_FIELDS = Set.of("messaging_product", "status", "message_id", "typing_indicator");

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final ObjectMapper json;
    private final ShardOwners owners;

    CloudRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.json = parts.json();
        this.owners = new ShardOwners(parts.cluster(), parts.clock());
    }

    void addTo(Javalin server) {
        server.post(PATH, this::post);
    }

    /**
     * Whether a request went to the Graph API's paths (under a version, {@code /v23.0/...}), this route's or another's,
     * or one the node does not serve: its errors are then written in the Graph API's shape.
     */
    static boolean isGraph(String path) {
        return GRAPH_PATH.matcher(path).matches();
    }

    /** The path's {@code {version}} must be a Graph version; any other path is not a Graph route (404 in our shape). */
    static void requireVersion(Context ctx) {
        if (!VERSION.matcher(ctx.pathParam("version")).matches()) {
            throw ApiError.notFound("route " + ctx.method() + " " + ctx.path());
        }
    }

    /** Our id behind Meta's prefix, or -1 when the text is neither ours nor ours behind {@code wamid.}. */
    static long parseId(String text) {
        return Ids.parse(text != null && text.startsWith(WAMID) ? text.substring(WAMID.length()) : text);
    }

    private void post(Context ctx) {
        requireVersion(ctx);
        Project project = tenants.project(ctx);
        String number = number(parts, project, ctx.pathParam("phone_number_id"));
        JsonNode body = requests.body(ctx);
        if (body.has("status")) markRead(ctx, project, number, body);
        else send(ctx, project, number, body);
    }

    /**
     * The caller's number with these digits, or connected to Meta's Cloud API under this {@code phone_number_id} of
     * Meta's; any other reads as an object that does not exist, as on the Graph.
     */
    static String number(Api.Parts parts, Project project, String phoneNumberId) {
        return ownNumber(parts, project, phoneNumberId).orElseThrow(() -> ApiError.notFound("phone_number_id "
                + phoneNumberId + " (the number's digits, as GET /v1/numbers lists it without the +)"));
    }

    /** The caller's number {@code phoneNumberId} stands for, if any (as {@link #number}). */
    static Optional<String> ownNumber(Api.Parts parts, Project project, String phoneNumberId) {
        if (!DIGITS.matcher(phoneNumberId).matches()) return Optional.empty();
        String number = "+" + phoneNumberId;
        if (owned(parts, project, number)) return Optional.of(number);
        return parts.upstream().upstreams().byPhoneNumberId(phoneNumberId).map(CloudUpstream::number)
                .filter(connected -> owned(parts, project, connected));
    }

    private static boolean owned(Api.Parts parts, Project project, String number) {
        return parts.engine().line(number).map(line -> line.project().id().equals(project.id())).orElse(false);
    }

    /** {@code {"messaging_product","contacts":[{"input","wa_id"}],"messages":[{"id"}]}}, as Meta answers. */
    private void send(Context ctx, Project project, String number, JsonNode body) {
        if (!body.path("to").isTextual()) throw ApiError.badRequest("missing_field", "to is required", "to");
        String input = body.get("to").asText();
        // Meta takes the recipient with or without "+", and spaces or dashes inside: so do we, then check E.164.
        String cleaned = input.replaceAll("[\\s()-]", "");
        String to = DIGITS.matcher(cleaned).matches() && !cleaned.startsWith("+") ? "+" + cleaned : cleaned;
        ObjectNode message = ((ObjectNode) body.deepCopy()).put("from", number).put("to", to);
        OutgoingMessage outgoing = MessageRules.parse(message, "",
                MessageRules.Settings.api(MessageRoutes.senders(parts, project), parts.clock().millis(),
                        parts.media().ids(project.id())));
        Engine.Accepted accepted = MessageRoutes.join(parts.engine().accept(project, List.of(outgoing))).getFirst();
        ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", input).put("wa_id", to.substring(1));
        answer.putArray("messages").addObject().put("id", WAMID + Ids.format(accepted.id()));
        requests.send(ctx, 200, answer);
    }

    /**
     * {@code {"messaging_product":"whatsapp","status":"read","message_id"}}, and optionally
     * {@code "typing_indicator":{"type":"text"}} (the only type Meta has): answers {@code {"success":true}}.
     */
    private void markRead(Context ctx, Project project, String number, JsonNode body) {
        Fields.only(body, "", READ_FIELDS);
        Fields.oneOf(body, "status", "", Set.of("read"));
        JsonNode typing = Fields.optionalObject(body, "typing_indicator", "");
        if (typing != null) {
            Fields.only(typing, "typing_indicator", Set.of("type"));
            Fields.oneOf(typing, "type", "typing_indicator", Set.of("text"));
        }
        String given = Fields.text(body, "message_id", "", 200);
        long id = parseId(given);
        Optional<MessageRecord> found = id < 0 ? Optional.empty() : parts.messages().find(project.id(), id);
        MessageRecord message = found.filter(m -> m.direction() == Direction.IN && m.number().equals(number))
                .orElseThrow(() -> ApiError.badRequest("unknown_message", "message_id " + given
                        + " is not a message this number received", "message_id"));
        if (!parts.engine().markRead(message, typing != null)) {
            if (owners.answeredByOwner(ctx, project, number, message.shard())) return;
            throw new ApiError(503, "shard_elsewhere", "the shard of message " + given
                    + " is not run by a node that answers right now; retry", null);
        }
        requests.send(ctx, 200, json.createObjectNode().put("success", true));
    }
}
