package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Messages;
import io.switchboard.store.Numbers;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.Projects;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (the guide's WebApp): token-authenticated JSON for projects, numbers and messages.
 * Handlers run on virtual threads, so waiting for a durable write before answering 202 costs no platform thread.
 */
public final class Api implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    public static final int MAX_MESSAGES_PER_REQUEST = 1_000;
    private static final Set<Integer> SHARD_COUNTS = Set.of(1, 2, 4, 8, 16, 32);
    private static final int MAX_TPS = 1_000_000;

    /** What the API works on; {@code adminTokenHash} is the SHA-256 of the admin token. */
    public record Parts(Engine engine, Projects projects, Numbers numbers, Messages messages, Vault vault,
                        ObjectMapper json, Clock clock, String adminTokenHash) {}

    private final Parts parts;
    private final ObjectMapper json;
    private final Tenants tenants;
    private final Javalin server;
    /** Serializes number changes, each a read of the current settings and a write of new ones. */
    private final ReentrantLock numberUpdates = new ReentrantLock();

    public Api(Parts parts) {
        this.parts = parts;
        this.json = parts.json();
        this.tenants = new Tenants(parts.projects(), parts.adminTokenHash());
        this.server = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 4L * 1024 * 1024;
        });
        server.get("/health", ctx -> send(ctx, 200, json.createObjectNode().put("status", "ok")));
        server.post("/v1/projects", this::createProject);
        server.get("/v1/project", ctx -> send(ctx, 200, projectJson(tenants.project(ctx.header("Authorization")))));
        server.patch("/v1/project", this::updateProject);
        server.post("/v1/numbers", this::createNumber);
        server.get("/v1/numbers", this::listNumbers);
        server.patch("/v1/numbers/{number}", this::updateNumber);
        server.post("/v1/messages", this::sendMessages);
        server.get("/v1/messages/{id}", this::getMessage);
        server.exception(ApiError.class, (e, ctx) -> answerError(ctx, e));
        server.exception(InvalidInput.class, (e, ctx) -> answerError(ctx, ApiError.badRequest(e.code(), e.getMessage(), e.field())));
        server.exception(StoreException.class, (e, ctx) -> answerError(ctx,
                new ApiError(503, "store_unavailable", "the store did not take the request; nothing was accepted", null)));
        server.error(404, ctx -> { // only unknown routes: our own 404s are JSON already
            if (!"application/json".equals(ctx.contentType())) {
                answerError(ctx, ApiError.notFound("route " + ctx.method() + " " + ctx.path()));
            }
        });
    }

    public Api start(String host, int port) {
        server.start(host, port);
        return this;
    }

    public int port() {
        return server.port();
    }

    private void createProject(Context ctx) {
        tenants.requireAdmin(ctx.header("Authorization"));
        JsonNode body = body(ctx);
        String name = requiredText(body, "name", 200);
        String webhook = url(body, "webhook_url");
        String events = url(body, "event_webhook_url");
        boolean eventsEnabled = !body.has("events_enabled") || bool(body, "events_enabled");
        String token = Tokens.newToken("sb_");
        Project project = parts.projects().create(new Project(Ids.format(Ids.next()), name, webhook, events, eventsEnabled,
                parts.clock().millis()), Tokens.hash(token));
        ObjectNode answer = projectJson(project);
        answer.put("token", token);
        LOG.info("project {} ({}) created", project.id(), project.name());
        send(ctx, 201, answer);
    }

    /** Changes the caller's own project: name, Webhook and Event Webhook URLs, Event Webhook on or off. */
    private void updateProject(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = body(ctx);
        Project updated = new Project(project.id(),
                body.has("name") ? requiredText(body, "name", 200) : project.name(),
                body.has("webhook_url") ? url(body, "webhook_url") : project.webhookUrl(),
                body.has("event_webhook_url") ? url(body, "event_webhook_url") : project.eventWebhookUrl(),
                body.has("events_enabled") ? bool(body, "events_enabled") : project.eventsEnabled(),
                project.createdAt());
        parts.projects().update(updated);
        tenants.update(updated);
        parts.engine().update(updated);
        LOG.info("project {} updated (events {})", project.id(), updated.eventsEnabled() ? "on" : "off");
        send(ctx, 200, projectJson(updated));
    }

    private void createNumber(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = body(ctx);
        String number = requiredText(body, "number", 20);
        if (!MessageRules.isE164(number)) {
            throw ApiError.badRequest("invalid_number", "number must be E.164, such as +919800000001", "number");
        }
        int tps = intField(body, "tps", 20, 1, MAX_TPS);
        int shards = intField(body, "shards", 1, 1, 32);
        if (!SHARD_COUNTS.contains(shards)) {
            throw ApiError.badRequest("invalid_shards", "shards must be 1, 2, 4, 8, 16 or 32", "shards");
        }
        boolean deliveryReports = !body.has("delivery_reports") || bool(body, "delivery_reports");
        BusinessNumber created = parts.numbers().create(new BusinessNumber(number, project.id(), tps, shards,
                deliveryReports, parts.vault().newWrappedDataKey(number), parts.clock().millis()))
                .orElseThrow(() -> new ApiError(409, "number_taken", number + " is already registered", "number"));
        parts.engine().open(created, project);
        LOG.info("project {}: number {} added (tps {}, shards {})", project.id(), number, tps, shards);
        send(ctx, 201, numberJson(created));
    }

    /**
     * Changes one of the caller's numbers: its TPS budget and whether it wants delivery reports, both at once on the
     * running shards. One change at a time, so two requests that each change one field cannot undo each other.
     */
    private void updateNumber(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        String number = ctx.pathParam("number");
        if (parts.engine().line(number).filter(line -> line.project().id().equals(project.id())).isEmpty()) {
            throw ApiError.notFound("number " + number);
        }
        JsonNode body = body(ctx);
        numberUpdates.lock();
        try {
            BusinessNumber current = parts.engine().line(number).orElseThrow().number();
            BusinessNumber updated = new BusinessNumber(number, current.projectId(),
                    body.has("tps") ? intField(body, "tps", current.tps(), 1, MAX_TPS) : current.tps(),
                    current.shards(),
                    body.has("delivery_reports") ? bool(body, "delivery_reports") : current.deliveryReports(),
                    current.wrappedDataKey(), current.createdAt());
            if (!parts.numbers().update(updated)) throw ApiError.notFound("number " + number);
            parts.engine().update(updated);
            LOG.info("project {}: number {} updated (tps {}, delivery reports {})", project.id(), number,
                    updated.tps(), updated.deliveryReports() ? "on" : "off");
            send(ctx, 200, numberJson(updated));
        } finally {
            numberUpdates.unlock();
        }
    }

    private void listNumbers(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        ArrayNode list = json.createArrayNode();
        for (LineSnapshot line : parts.engine().snapshot()) {
            NumberLine open = parts.engine().line(line.number()).orElseThrow();
            if (!open.project().id().equals(project.id())) continue;
            ObjectNode item = numberJson(open.number());
            item.put("connected_shards", line.connectedShards());
            ObjectNode used = item.putObject("budget_used");
            for (Kind kind : Kind.values()) used.put(kind.label(), line.used()[kind.ordinal()]);
            ObjectNode queue = item.putObject("queue");
            for (Priority priority : Priority.values()) queue.put(priority.label(), line.depths()[priority.rank()]);
            list.add(item);
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("numbers", list);
        send(ctx, 200, answer);
    }

    private void sendMessages(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = body(ctx);
        List<OutgoingMessage> outgoing = new ArrayList<>();
        java.util.function.Predicate<String> owns = number -> parts.engine().line(number)
                .map(line -> line.project().id().equals(project.id())).orElse(false);
        if (body.has("messages")) {
            JsonNode list = body.get("messages");
            if (!list.isArray() || list.isEmpty()) {
                throw ApiError.badRequest("no_messages", "messages must be a non-empty array", "messages");
            }
            if (list.size() > MAX_MESSAGES_PER_REQUEST) {
                throw ApiError.badRequest("too_many_messages", "at most " + MAX_MESSAGES_PER_REQUEST
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
        send(ctx, 202, answer);
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
        send(ctx, 200, answer);
    }

    private static void putTime(ObjectNode times, String status, Long at) {
        if (at != null) times.put(status, Instant.ofEpochMilli(at).toString());
    }

    private ObjectNode projectJson(Project project) {
        ObjectNode node = json.createObjectNode();
        node.put("id", project.id());
        node.put("name", project.name());
        node.put("webhook_url", project.webhookUrl());
        node.put("event_webhook_url", project.eventWebhookUrl());
        node.put("events_enabled", project.eventsEnabled());
        return node;
    }

    private ObjectNode numberJson(BusinessNumber number) {
        ObjectNode node = json.createObjectNode();
        node.put("number", number.number());
        node.put("tps", number.tps());
        node.put("shards", number.shards());
        node.put("delivery_reports", number.deliveryReports());
        return node;
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode node = json.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("invalid_json", "the body must be a JSON object", null);
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the body could not be read: " + e.getMessage(), null);
        }
    }

    private static String requiredText(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.badRequest("missing_field", field + " is required", field);
        }
        if (value.asText().length() > maxLength) {
            throw ApiError.badRequest("too_long", field + " is longer than " + maxLength + " characters", field);
        }
        return value.asText().trim();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isBoolean()) throw ApiError.badRequest("invalid_boolean", field + " must be true or false", field);
        return value.booleanValue();
    }

    private static int intField(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw ApiError.badRequest("out_of_range", field + " must be a whole number from " + min + " to " + max, field);
        }
        return value.asInt();
    }

    /** An optional webhook URL: http or https with a host. Loopback and private hosts are allowed in this release. */
    private static String url(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) return null;
        String text = value.asText().trim();
        try {
            java.net.URI uri = java.net.URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return text;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_url", field + " must be an http:// or https:// URL with a host", field);
        }
    }

    private void send(Context ctx, int status, JsonNode body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            // A known length, not chunks: simpler for every client, and the body is in hand anyway.
            ctx.status(status).contentType("application/json").header("Content-Length", String.valueOf(bytes.length))
                    .result(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answerError(Context ctx, ApiError error) {
        if (error.status() >= 500) LOG.error("{} {}: {} {}", ctx.method(), ctx.path(), error.status(), error.getMessage());
        else LOG.info("{} {}: {} {} field={}", ctx.method(), ctx.path(), error.status(), error.code(), error.field());
        ObjectNode body = json.createObjectNode();
        ObjectNode detail = body.putObject("error");
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) detail.put("field", error.field());
        send(ctx, error.status(), body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
