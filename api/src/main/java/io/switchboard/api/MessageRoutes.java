package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.validation.DynamicBulk;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.Direction;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageHistory;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Project;
import io.switchboard.store.SendOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages: sent (one, up to a thousand in a request, or one text or template expanded per recipient), optionally
 * scheduled, expiring and idempotent; read back with the time of each status; cancelled while they still wait; listed
 * and exported, both ways, as the project's history.
 */
final class MessageRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRoutes.class);
    private static final String EXPORT_PATH = "/v1/messages/export";
    private static final String NDJSON = "application/x-ndjson";
    private static final int EXPORT_BATCH = 500;

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final ObjectMapper json;
    private final IdempotentSends idempotent;
    private final ShardOwners owners;
    private final MessageHistory history;

    MessageRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.json = parts.json();
        this.idempotent = new IdempotentSends(parts.messages(), parts.clock(), json);
        this.owners = new ShardOwners(parts.cluster(), parts.clock());
        this.history = parts.messages().history();
    }

    void addTo(Javalin server) {
        server.post("/v1/messages", this::sendMessages);
        server.get("/v1/messages", this::listMessages);
        server.get(EXPORT_PATH, this::exportMessages); // before the {id} route, which Javalin would match first
        server.get("/v1/messages/{id}", this::getMessage);
        server.delete("/v1/messages/{id}", this::cancelMessage);
    }

    /**
     * {@code {"from","to","type",...}}, {@code {"messages":[...]}} or {@code {"from","type","text"|"template",
     * "recipients":[{"to","variables"}]}}; with an {@code Idempotency-Key} header or a {@code client_ref}, a retry
     * within 24 hours gets the first answer and queues nothing.
     */
    private void sendMessages(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.body(ctx);
        String key = IdempotentSends.key(ctx.header(IdempotentSends.HEADER), body);
        JsonNode request = body.has("client_ref") ? ((ObjectNode) body.deepCopy()).without("client_ref") : body;
        if (key == null) {
            List<OutgoingMessage> outgoing = parse(project, request);
            requests.send(ctx, 202, answer(join(parts.engine().accept(project, outgoing))));
            return;
        }
        IdempotentSends.Answer answer = idempotent.send(project.id(), key, body, () -> {
            List<OutgoingMessage> outgoing = parse(project, request);
            return (keyOf) -> join(parts.engine().acceptOnce(project, outgoing, keyOf));
        }, this::answer);
        if (answer.replayed()) ctx.header("Idempotent-Replayed", "true");
        requests.send(ctx, answer.status(), answer.body());
    }

    /** What the project may send from and to: its numbers, and the groups each of them owns. */
    static MessageRules.Senders senders(Api.Parts parts, Project project) {
        return new MessageRules.Senders() {
            @Override
            public boolean ownsNumber(String number) {
                return parts.engine().line(number).map(line -> line.project().id().equals(project.id())).orElse(false);
            }

            @Override
            public boolean ownsGroup(String from, String group) {
                return parts.directory().groups().find(project.id(), group).filter(g -> g.number().equals(from)).isPresent();
            }

            @Override
            public boolean mayUseTemplate(String from, String name, String language) {
                return parts.directory().templates().allows(project.id(), from, name, language);
            }
        };
    }

    private List<OutgoingMessage> parse(Project project, JsonNode body) {
        MessageRules.Settings settings = MessageRules.Settings.api(senders(parts, project), parts.clock().millis(),
                parts.media().ids(project.id()));
        if (DynamicBulk.is(body)) return DynamicBulk.parse(body, settings);
        if (!body.has("messages")) return List.of(MessageRules.parse(body, "", settings));
        JsonNode list = body.get("messages");
        if (!list.isArray() || list.isEmpty()) {
            throw ApiError.badRequest("no_messages", "messages must be a non-empty array", "messages");
        }
        if (list.size() > Api.MAX_MESSAGES_PER_REQUEST) {
            throw ApiError.badRequest("too_many_messages", "at most " + Api.MAX_MESSAGES_PER_REQUEST
                    + " messages per request, got " + list.size(), "messages");
        }
        Fields.only(body, "", Set.of("messages"));
        List<OutgoingMessage> outgoing = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) outgoing.add(MessageRules.parse(list.get(i), "messages[" + i + "]", settings));
        return outgoing;
    }

    /** {"messages":[{"id","status"}]} in request order; a message scheduled for later is {@code scheduled}. */
    private ObjectNode answer(List<Engine.Accepted> accepted) {
        long now = parts.clock().millis();
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("messages");
        for (Engine.Accepted a : accepted) {
            list.addObject().put("id", Ids.format(a.id()))
                    .put("status", a.message().options().scheduledAfter(now) ? "scheduled" : "queued");
        }
        return answer;
    }

    /** The project's messages, both ways, newest first, filtered ({@link HistoryQuery}), a page at a time. */
    private void listMessages(Context ctx) {
        Project project = tenants.project(ctx);
        MessageHistory.Filter filter = HistoryQuery.filter(ctx, project, parts.engine(), parts.clock().millis());
        Page page = Page.of(ctx);
        MessageHistory.Position after = HistoryQuery.position(page.after());
        requests.send(ctx, 200, page.answer("messages", history.page(filter, after, page.fetch()), this::messageJson,
                HistoryQuery::cursor));
    }

    /**
     * The same messages, every one, as JSON lines: read from the store {@value #EXPORT_BATCH} at a time and written
     * as they come, so neither the node's memory nor a database connection is held in proportion to the history
     * (nor while the client is slow to read). A store that fails before the first line answers 503 as anywhere; once
     * lines are out, the connection is cut before the body's last chunk, which an HTTP client reports as an incomplete
     * answer: never a shorter export that looks whole, nor an error object among the messages.
     */
    private void exportMessages(Context ctx) throws IOException {
        Project project = tenants.project(ctx);
        MessageHistory.Filter filter = HistoryQuery.filter(ctx, project, parts.engine(), parts.clock().millis());
        List<MessageRecord> batch = history.page(filter, null, EXPORT_BATCH);
        ctx.status(200).contentType(NDJSON);
        try {
            OutputStream out = ctx.outputStream();
            while (true) {
                for (MessageRecord message : batch) {
                    out.write(json.writeValueAsBytes(messageJson(message)));
                    out.write('\n');
                }
                out.flush();
                if (batch.size() < EXPORT_BATCH) return;
                batch = history.page(filter, MessageHistory.Position.of(batch.getLast()), EXPORT_BATCH);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("project {}: message export cut short: {}", project.id(), e.toString());
            org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().abort(e);
        }
    }

    private void getMessage(Context ctx) {
        Project project = tenants.project(ctx);
        requests.send(ctx, 200, messageJson(find(ctx, project)));
    }

    /**
     * Cancels a message that still waits (queued or scheduled): 200 with it, now {@code cancelled}. 409
     * {@code not_cancellable} once the node has handed it to the network, or when it is final already or incoming.
     */
    private void cancelMessage(Context ctx) {
        Project project = tenants.project(ctx);
        MessageRecord message = find(ctx, project);
        Engine.Cancellation outcome = join(parts.engine().cancel(message));
        if (outcome == Engine.Cancellation.ELSEWHERE && owners.answeredByOwner(ctx, project, message.number(), message.shard())) {
            return;
        }
        if (outcome != Engine.Cancellation.CANCELLED) {
            MessageRecord now = parts.messages().find(project.id(), message.id()).orElse(message);
            String why = now.direction() == Direction.IN ? "it is an incoming message"
                    : outcome == Engine.Cancellation.ELSEWHERE
                    ? "another node of the cluster runs its shard and did not answer; retry"
                    : "it is " + label(now) + "; only a queued or scheduled message that has not gone to the network can be";
            throw new ApiError(409, "not_cancellable", "message " + Ids.format(message.id()) + " cannot be cancelled: "
                    + why, null);
        }
        requests.send(ctx, 200, messageJson(parts.messages().find(project.id(), message.id()).orElseThrow()));
    }

    /** The caller's message named in the path; another project's reads as not found. */
    private MessageRecord find(Context ctx, Project project) {
        long id = CloudRoutes.parseId(ctx.pathParam("id")); // ours, or ours as the Cloud API wrote it (wamid.<id>)
        return (id < 0 ? Optional.<MessageRecord>empty() : parts.messages().find(project.id(), id))
                .orElseThrow(() -> ApiError.notFound("message " + ctx.pathParam("id")));
    }

    private ObjectNode messageJson(MessageRecord message) {
        ObjectNode answer = json.createObjectNode();
        answer.put("id", Ids.format(message.id()));
        answer.put("direction", message.direction().name().toLowerCase(Locale.ROOT));
        boolean out = message.direction() == Direction.OUT;
        answer.put("from", out ? message.number() : message.peer());
        answer.put("to", out ? message.peer() : message.number());
        answer.put("type", message.type());
        answer.put("status", label(message));
        if (out) answer.put("priority", message.priority().label());
        if (message.networkId() != null) answer.put("network_id", message.networkId());
        if (message.error() != null) answer.put("error", message.error());
        parts.engine().line(message.number()).ifPresent(line -> {
            try {
                answer.set(message.type(), json.readTree(line.key().open(message.id(), message.sealedBody())));
                if (message.sealedCallback() != null) {
                    answer.put("biz_opaque_callback_data", line.key().openCallback(message.id(), message.sealedCallback()));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        SendOptions options = message.options();
        if (options.replyTo() != null) answer.putObject("context").put("message_id", options.replyTo());
        putTime(answer, "schedule_at", options.notBefore() == 0 ? null : options.notBefore());
        putTime(answer, "expires_at", options.expiresAt() == 0 ? null : options.expiresAt());
        ObjectNode times = answer.putObject("statuses");
        MessageRecord.Times t = message.times();
        times.put(out ? "queued" : "received", Instant.ofEpochMilli(t.created()).toString());
        putTime(times, "sent", t.sent());
        putTime(times, "delivered", t.delivered());
        putTime(times, "read", t.read());
        putTime(times, "failed", t.failed());
        putTime(times, "expired", t.expired());
        putTime(times, "cancelled", t.cancelled());
        return answer;
    }

    /** The status a user sees; a queued message waiting for a later time is {@code scheduled}. */
    private String label(MessageRecord message) {
        boolean waiting = message.direction() == Direction.OUT && message.status() == MessageStatus.QUEUED;
        return waiting && message.options().scheduledAfter(parts.clock().millis()) ? "scheduled" : message.statusLabel();
    }

    private static void putTime(ObjectNode times, String status, Long at) {
        if (at != null) times.put(status, Instant.ofEpochMilli(at).toString());
    }

    /** The result of a store write, or its failure as thrown (a StoreException answers 503). */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
