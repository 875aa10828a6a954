package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.Ids;
import io.switchboard.store.Project;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.switchboard.api.Requests.intField;

/**
 * The project's view of its webhooks: how its endpoints are doing, its dead letters and their replay, and its
 * signing secret and the rotation of it.
 */
final class WebhookRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
    private static final int MAX_REPLAY_IDS = 10_000;
    private static final long MAX_KEEP_PREVIOUS_SECONDS = Duration.ofDays(7).toSeconds();

    private final Api.Webhooks webhooks;
    private final Tenants tenants;
    private final Requests requests;
    private final Clock clock;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    WebhookRoutes(Api.Webhooks webhooks, Tenants tenants, Requests requests, Clock clock) {
        this.webhooks = webhooks;
        this.tenants = tenants;
        this.requests = requests;
        this.clock = clock;
    }

    void addTo(Javalin server) {
        server.get("/v1/webhooks", this::status);
        server.get("/v1/webhooks/failed", this::failed);
        server.post("/v1/webhooks/replay", this::replay);
        server.get("/v1/project/webhook-secret", this::secret);
        server.post("/v1/project/webhook-secret/rotate", this::rotate);
    }

    /** The endpoints' circuits, what waits for them, and how many dead letters the project has. */
    private void status(Context ctx) {
        Project project = tenants.project(ctx);
        ObjectNode answer = nodes.objectNode();
        ArrayNode endpoints = answer.putArray("endpoints");
        for (Dispatcher.EndpointStatus endpoint : webhooks.dispatcher().status(project.id())) {
            endpoints.addObject().put("kind", endpoint.kind()).put("circuit", endpoint.circuit())
                    .put("waiting", endpoint.waiting()).put("most_concurrent", endpoint.mostUnderWay())
                    .put("recoveries", endpoint.recoveries());
        }
        answer.put("dead_letters", webhooks.deadLetters().count(project.id()));
        requests.send(ctx, 200, answer);
    }

    /** Dead letters, oldest first, a page at a time: {@code ?limit=100&after=<id of the last one seen>}. */
    private void failed(Context ctx) {
        Project project = tenants.project(ctx);
        Page page = Page.of(ctx);
        long after = page.after() == null ? 0 : callId(page.after(), "after");
        requests.send(ctx, 200, page.answer("failed", webhooks.deadLetters().list(project.id(), after, page.fetch()),
                dead -> nodes.objectNode().put("id", prefix(dead.kind()) + Ids.format(dead.id()))
                        .put("kind", dead.kind().label()).put("message_id", Ids.format(dead.messageId()))
                        .put("reason", dead.reason()).put("failed_at", Instant.ofEpochMilli(dead.failedAt()).toString()),
                dead -> Ids.format(dead.id())));
    }

    /**
     * Puts dead letters back in line: {@code {"ids":[...]}} (as listed), or those that failed in
     * {@code {"from","to"}} (ISO times, either may be left out), or all of them with an empty body.
     */
    private void replay(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.optionalBody(ctx);
        DeadLetters.Selection selection;
        if (body.has("ids")) {
            JsonNode ids = body.get("ids");
            if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_REPLAY_IDS) {
                throw ApiError.badRequest("invalid_ids", "ids must be a list of 1 to " + MAX_REPLAY_IDS
                        + " dead letter ids", "ids");
            }
            List<Long> parsed = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) parsed.add(callId(ids.get(i).asText(), "ids[" + i + "]"));
            selection = new DeadLetters.Selection(parsed, 0, Long.MAX_VALUE);
        } else {
            long from = Requests.time(body, "from", 0);
            long to = Requests.time(body, "to", Long.MAX_VALUE);
            if (from >= to) throw ApiError.badRequest("invalid_range", "from must be before to", "from");
            selection = new DeadLetters.Selection(List.of(), from, to);
        }
        DeadLetters.Revived revived = webhooks.deadLetters().revive(project.id(), selection, clock.millis());
        webhooks.dispatcher().replayed(project.id(), revived);
        LOG.info("project {}: {} dead letters replayed", project.id(), revived.size());
        requests.send(ctx, 202, nodes.objectNode().put("replayed", revived.size()));
    }

    private void secret(Context ctx) {
        Project project = tenants.project(ctx);
        requests.send(ctx, 200, nodes.objectNode().put("secret", webhooks.secrets().current(project.id())));
    }

    /** A new secret; the previous one keeps signing beside it for {@code keep_previous_s} (default a day). */
    private void rotate(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.optionalBody(ctx);
        long keep = intField(body, "keep_previous_s", (int) Duration.ofDays(1).toSeconds(), 0,
                (int) MAX_KEEP_PREVIOUS_SECONDS);
        String secret = webhooks.secrets().rotate(project.id(), Duration.ofSeconds(keep));
        LOG.info("project {}: webhook secret rotated; the previous one signs for {} s more", project.id(), keep);
        requests.send(ctx, 200, nodes.objectNode().put("secret", secret)
                .put("previous_valid_until", Instant.ofEpochMilli(clock.millis() + keep * 1000).toString()));
    }

    private static String prefix(DeadLetters.Kind kind) {
        return kind == DeadLetters.Kind.MESSAGE ? "msg_" : "evt_";
    }

    /** A dead letter's id as listed ({@code msg_…} or {@code evt_…}) or bare. */
    private static long callId(String text, String field) {
        String bare = text.startsWith("msg_") || text.startsWith("evt_") ? text.substring(4) : text;
        long id = Ids.parse(bare);
        if (id < 0) throw ApiError.badRequest("invalid_id", field + " is not a message or event id", field);
        return id;
    }
}
