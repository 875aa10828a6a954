package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.dispatcher.PayloadFormat;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.dispatcher.urls.OutboundUrls;
import io.switchboard.engine.Engine;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.DeadLetters;
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

import static io.switchboard.api.Requests.bool;
import static io.switchboard.api.Requests.intField;
import static io.switchboard.api.Requests.requiredText;

/**
 * The node's HTTP API (the guide's WebApp): token-authenticated JSON for projects, numbers and messages.
 * Handlers run on virtual threads, so waiting for a durable write before answering 202 costs no platform thread.
 */
public final class Api implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    public static final int MAX_MESSAGES_PER_REQUEST = 1_000;
    private static final Set<Integer> SHARD_COUNTS = Set.of(1, 2, 4, 8, 16, 32);
    private static final int MAX_TPS = 1_000_000;
    private static final int MAX_CONCURRENCY = 1_000;
    private static final int MAX_WEBHOOK_RATE = 1_000_000;

    /** What the API works on; {@code adminTokenHash} is the SHA-256 of the admin token. */
    public record Parts(Engine engine, Projects projects, Numbers numbers, Messages messages, Vault vault,
                        ObjectMapper json, Clock clock, String adminTokenHash, Webhooks webhooks) {}

    /** The webhook side: the dispatcher, the dead letters, the signing secrets and the check of outbound URLs. */
    public record Webhooks(Dispatcher dispatcher, DeadLetters deadLetters, SigningSecrets secrets, OutboundUrls urls) {}

    private final Parts parts;
    private final ObjectMapper json;
    private final Requests requests;
    private final Tenants tenants;
    private final Javalin server;
    /** Serializes number changes, each a read of the current settings and a write of new ones. */
    private final ReentrantLock numberUpdates = new ReentrantLock();

    public Api(Parts parts) {
        this.parts = parts;
        this.json = parts.json();
        this.requests = new Requests(json);
        this.tenants = new Tenants(parts.projects(), parts.adminTokenHash());
        this.server = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 4L * 1024 * 1024;
        });
        server.get("/health", ctx -> requests.send(ctx, 200, json.createObjectNode().put("status", "ok")));
        server.post("/v1/projects", this::createProject);
        server.get("/v1/project", ctx -> requests.send(ctx, 200, projectJson(tenants.project(ctx.header("Authorization")))));
        server.patch("/v1/project", this::updateProject);
        server.post("/v1/numbers", this::createNumber);
        server.get("/v1/numbers", this::listNumbers);
        server.patch("/v1/numbers/{number}", this::updateNumber);
        server.post("/v1/messages", this::sendMessages);
        server.get("/v1/messages/{id}", this::getMessage);
        new WebhookRoutes(parts.webhooks(), tenants, requests, parts.clock()).addTo(server);
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
        JsonNode body = requests.body(ctx);
        Project project = new Project(Ids.format(Ids.next()), requiredText(body, "name", 200), url(body, "webhook_url"),
                url(body, "event_webhook_url"), !body.has("events_enabled") || bool(body, "events_enabled"),
                format(body, Project.NATIVE_FORMAT), intField(body, "webhook_concurrency", 0, 0, MAX_CONCURRENCY),
                intField(body, "webhook_rate", 0, 0, MAX_WEBHOOK_RATE), parts.clock().millis());
        String token = Tokens.newToken("sb_");
        SigningSecrets.NewSecret secret = parts.webhooks().secrets().newSecret(project.id());
        parts.projects().create(project, Tokens.hash(token), secret.sealed());
        ObjectNode answer = projectJson(project);
        answer.put("token", token);
        answer.put("webhook_secret", secret.secret());
        LOG.info("project {} ({}) created", project.id(), project.name());
        requests.send(ctx, 201, answer);
    }

    /** Changes the caller's own project: name, Webhook and Event Webhook URLs, Event Webhook on or off. */
    private void updateProject(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = requests.body(ctx);
        Project updated = new Project(project.id(),
                body.has("name") ? requiredText(body, "name", 200) : project.name(),
                body.has("webhook_url") ? url(body, "webhook_url") : project.webhookUrl(),
                body.has("event_webhook_url") ? url(body, "event_webhook_url") : project.eventWebhookUrl(),
                body.has("events_enabled") ? bool(body, "events_enabled") : project.eventsEnabled(),
                format(body, project.webhookFormat()),
                intField(body, "webhook_concurrency", project.webhookConcurrency(), 0, MAX_CONCURRENCY),
                intField(body, "webhook_rate", project.webhookRate(), 0, MAX_WEBHOOK_RATE), project.createdAt());
        parts.projects().update(updated);
        tenants.update(updated);
        parts.engine().update(updated);
        LOG.info("project {} updated (events {})", project.id(), updated.eventsEnabled() ? "on" : "off");
        requests.send(ctx, 200, projectJson(updated));
    }

    private void createNumber(Context ctx) {
        Project project = tenants.project(ctx.header("Authorization"));
        JsonNode body = requests.body(ctx);
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
        requests.send(ctx, 201, numberJson(created));
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
        JsonNode body = requests.body(ctx);
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
            requests.send(ctx, 200, numberJson(updated));
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
        requests.send(ctx, 200, answer);
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

    private ObjectNode projectJson(Project project) {
        ObjectNode node = json.createObjectNode();
        node.put("id", project.id());
        node.put("name", project.name());
        node.put("webhook_url", project.webhookUrl());
        node.put("event_webhook_url", project.eventWebhookUrl());
        node.put("events_enabled", project.eventsEnabled());
        node.put("webhook_format", project.webhookFormat());
        node.put("webhook_concurrency", project.webhookConcurrency()); // 0: the node's default
        node.put("webhook_rate", project.webhookRate()); // 0: no cap
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

    /**
     * An optional webhook URL: http or https, to a public address unless the operator allows private ones (the
     * dispatcher checks the address again when it connects).
     */
    private String url(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) return null;
        String text = value.asText().trim();
        try {
            parts.webhooks().urls().check(text);
            return text;
        } catch (OutboundUrls.Refused refused) {
            throw ApiError.badRequest(refused.code(), field + ": " + refused.getMessage(), field);
        }
    }

    private static String format(JsonNode body, String fallback) {
        if (!body.has("webhook_format")) return fallback;
        String format = body.get("webhook_format").asText();
        if (!PayloadFormat.NAMES.contains(format)) {
            throw ApiError.badRequest("invalid_format", "webhook_format must be native or cloud", "webhook_format");
        }
        return format;
    }

    private void answerError(Context ctx, ApiError error) {
        if (error.status() >= 500) LOG.error("{} {}: {} {}", ctx.method(), ctx.path(), error.status(), error.getMessage());
        else LOG.info("{} {}: {} {} field={}", ctx.method(), ctx.path(), error.status(), error.code(), error.field());
        ObjectNode body = json.createObjectNode();
        ObjectNode detail = body.putObject("error");
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) detail.put("field", error.field());
        requests.send(ctx, error.status(), body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
