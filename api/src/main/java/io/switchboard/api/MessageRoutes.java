package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/** Messages: sent (one, or up to a thousand in a request) and read back with the time of each status. */
final class MessageRoutes {

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final ObjectMapper json;

    MessageRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.json = parts.json();
    }

    void addTo(Javalin server) {
        server.post("/v1/messages", this::sendMessages);
        server.get("/v1/messages/{id}", this::getMessage);
    }

    private void sendMessages(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = requests.body(ctx);
        List<OutgoingMessage> outgoing = new ArrayList<>();
        java.util.function.Predicate<String> owns = number -> parts.engine().line(number)
                .map(line -> line.project().id().equals(project.id())).orElse(false);
        if (body.has("messages")) {
            JsonNode list = body.get("messages");
            if (!list.isArray() || list.isEmpty()) {
                throw ApiError.badRequest("no_messages", "messages must be a non-empty array", "messages");
            }
            if (list.size() > Api.MAX_MESSAGES_PER_REQUEST) {
                throw ApiError.badRequest("too_many_messages", "at most " + Api.MAX_MESSAGES_PER_REQUEST
                        + " messages per request, got " + list.size(), "messages");
            }
            for (int i = 0; i < list.size(); i++) {
                outgoing.add(MessageRules.parse(list.get(i), "messages[" + i + "]", owns, null, Priority.NORMAL));
            }
        } else {
            outgoing.add(MessageRules.parse(body, "", owns, null, Priority.NORMAL));
        }
        List<Engine.Accepted> accepted;
        try {
            accepted = parts.engine().accept(project, outgoing).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("messages");
        for (Engine.Accepted a : accepted) {
            list.addObject().put("id", Ids.format(a.id())).put("status", "queued");
        }
        requests.send(ctx, 202, answer);
    }

    private void getMessage(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        long id = Ids.parse(ctx.pathParam("id"));
        MessageRecord message = (id < 0 ? java.util.Optional.<MessageRecord>empty()
                : parts.messages().find(project.id(), id)).orElseThrow(() -> ApiError.notFound("message " + ctx.pathParam("id")));
        ObjectNode answer = json.createObjectNode();
        answer.put("id", Ids.format(message.id()));
        answer.put("direction", message.direction().name().toLowerCase(java.util.Locale.ROOT));
        boolean out = message.direction() == io.switchboard.store.Direction.OUT;
        answer.put("from", out ? message.number() : message.peer());
        answer.put("to", out ? message.peer() : message.number());
        answer.put("type", message.type());
        answer.put("status", message.statusLabel());
        if (out) answer.put("priority", message.priority().label());
        if (message.networkId() != null) answer.put("network_id", message.networkId());
        if (message.error() != null) answer.put("error", message.error());
        parts.engine().line(message.number()).ifPresent(line -> {
            try {
                answer.set(message.type(), json.readTree(line.key().open(message.id(), message.sealedBody())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ObjectNode times = answer.putObject("statuses");
        MessageRecord.Times t = message.times();
        times.put(out ? "queued" : "received", Instant.ofEpochMilli(t.created()).toString());
        putTime(times, "sent", t.sent());
        putTime(times, "delivered", t.delivered());
        putTime(times, "read", t.read());
        putTime(times, "failed", t.failed());
        requests.send(ctx, 200, answer);
    }

    private static void putTime(ObjectNode times, String status, Long at) {
        if (at != null) times.put(status, Instant.ofEpochMilli(at).toString());
    }
}
