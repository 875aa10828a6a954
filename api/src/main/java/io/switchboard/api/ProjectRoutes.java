package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.dispatcher.PayloadFormat;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.Ids;
import io.switchboard.store.Project;
import io.switchboard.store.crypto.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.switchboard.api.Requests.bool;
import static io.switchboard.api.Requests.intField;
import static io.switchboard.api.Requests.requiredText;

/** Projects: made by the admin; each project reads and changes its own settings. */
final class ProjectRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectRoutes.class);
    private static final int MAX_CONCURRENCY = 1_000;
    private static final int MAX_WEBHOOK_RATE = 1_000_000;
    private static final int MAX_RETENTION_DAYS = 3_650;

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final ObjectMapper json;

    ProjectRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.json = parts.json();
    }

    void addTo(Javalin server) {
        server.post("/v1/projects", this::createProject);
        server.get("/v1/projects", this::listProjects);
        server.get("/v1/project", ctx -> requests.send(ctx, 200, projectJson(tenants.project(ctx))));
        server.patch("/v1/project", this::updateProject);
        server.delete("/v1/projects/{id}", this::deleteProject);
    }

    private void createProject(Context ctx) {
        tenants.requireAdmin(ctx.header("Authorization"));
        JsonNode body = requests.body(ctx);
        Project project = new Project(Ids.format(parts.ids().next()), requiredText(body, "name", 200), url(body, "webhook_url"),
                url(body, "event_webhook_url"), !body.has("events_enabled") || bool(body, "events_enabled"),
                format(body, Project.NATIVE_FORMAT), intField(body, "webhook_concurrency", 0, 0, MAX_CONCURRENCY),
                intField(body, "webhook_rate", 0, 0, MAX_WEBHOOK_RATE), parts.clock().millis(), retentionDays(body, null));
        verifyCloudUrls(body, null, project);
        String token = Tokens.newToken("sb_");
        SigningSecrets.NewSecret secret = parts.webhooks().secrets().newSecret(project.id());
        parts.projects().create(project, Tokens.hash(token), secret.sealed());
        ObjectNode answer = projectJson(project);
        answer.put("token", token);
        answer.put("webhook_secret", secret.secret());
        LOG.info("project {} ({}) created", project.id(), project.name());
        requests.send(ctx, 201, answer);
    }

    /** Every project of the node, by id, a page at a time: the node admin's view (never a token or secret). */
    private void listProjects(Context ctx) {
        tenants.requireAdmin(ctx.header("Authorization"));
        Page page = Page.of(ctx);
        requests.send(ctx, 200, page.answer("projects", parts.projects().page(page.after(), page.fetch()),
                this::projectJson, Project::id));
    }

    /** Changes the caller's own project: name, Webhook and Event Webhook URLs, Event Webhook on or off. */
    private void updateProject(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.body(ctx);
        Project updated = new Project(project.id(),
                body.has("name") ? requiredText(body, "name", 200) : project.name(),
                body.has("webhook_url") ? url(body, "webhook_url") : project.webhookUrl(),
                body.has("event_webhook_url") ? url(body, "event_webhook_url") : project.eventWebhookUrl(),
                body.has("events_enabled") ? bool(body, "events_enabled") : project.eventsEnabled(),
                format(body, project.webhookFormat()),
                intField(body, "webhook_concurrency", project.webhookConcurrency(), 0, MAX_CONCURRENCY),
                intField(body, "webhook_rate", project.webhookRate(), 0, MAX_WEBHOOK_RATE), project.createdAt(),
                body.has("retention_days") ? retentionDays(body, project.retentionDays()) : project.retentionDays());
        verifyCloudUrls(body, project, updated);
        parts.projects().update(updated);
        tenants.update(updated);
        parts.engine().update(updated);
        LOG.info("project {} updated (events {})", project.id(), updated.eventsEnabled() ? "on" : "off");
        requests.send(ctx, 200, projectJson(updated));
    }

    /**
     * Deletes a project (the node admin's call): its tokens are refused at once, on every node within a token's
     * recheck; each of its numbers is deleted as {@code DELETE /v1/numbers/{number}} does; its data is left to the
     * retention sweeper. 404 for an unknown project.
     */
    private void deleteProject(Context ctx) throws InterruptedException {
        tenants.requireAdmin(ctx.header("Authorization"));
        String id = ctx.pathParam("id");
        Project project = parts.projects().byId(id).orElseThrow(() -> ApiError.notFound("project " + id));
        // Read while the project's secret is still in the store: it signs the cancellations' Event Webhook calls.
        parts.webhooks().secrets().signer(id);
        List<String> numbers = parts.management().tombstones().deleteProject(id, parts.clock().millis())
                .orElseThrow(() -> ApiError.notFound("project " + id));
        tenants.deleted(id);
        for (String number : numbers) NumberRoutes.removed(parts, project, number);
        LOG.info("project {} ({}) deleted with {} number(s)", id, project.name(), numbers.size());
        ctx.status(204);
    }

    /** {@code retention_days}: 1 to 3,650 days, or null for the node's default. */
    private static Integer retentionDays(JsonNode body, Integer fallback) {
        JsonNode value = body.get("retention_days");
        if (value == null) return fallback;
        if (value.isNull()) return null;
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_RETENTION_DAYS) {
            throw ApiError.badRequest("invalid_retention_days", "retention_days must be a whole number of days from 1 to "
                    + MAX_RETENTION_DAYS + ", or null for the node's default", "retention_days");
        }
        return value.asInt();
    }

    /**
     * Meta's handshake, as Meta does it when a callback URL is saved: a Cloud-format project's Webhook and Event
     * Webhook URLs, when set or changed (or the format becomes cloud), must echo {@code hub.challenge} to a GET with
     * {@code hub.verify_token}, the {@code webhook_verify_token} of the request (used for this, not stored). A URL
     * that does not is refused with a 400 naming it, and nothing is saved. {@code before}: null for a new project.
     */
    private void verifyCloudUrls(JsonNode body, Project before, Project after) {
        if (!PayloadFormat.CLOUD.equals(after.webhookFormat())) return;
        boolean formatChanged = before == null || !PayloadFormat.CLOUD.equals(before.webhookFormat());
        Map<String, String> toVerify = new LinkedHashMap<>();
        if (after.webhookUrl() != null && (formatChanged || !after.webhookUrl().equals(before.webhookUrl()))) {
            toVerify.put("webhook_url", after.webhookUrl());
        }
        String events = after.eventWebhookUrl();
        if (events != null && (formatChanged || !events.equals(before.eventWebhookUrl())) && !toVerify.containsValue(events)) {
            toVerify.put("event_webhook_url", events);
        }
        if (toVerify.isEmpty()) return;
        String verifyToken = requiredText(body, "webhook_verify_token", 200);
        toVerify.forEach((field, url) -> {
            if (!parts.webhooks().dispatcher().verifiesAsMeta(url, verifyToken)) {
                throw ApiError.badRequest("webhook_not_verified", field + " did not answer Meta's verification: a GET"
                        + " with hub.mode=subscribe, hub.verify_token and hub.challenge must answer 200 with the"
                        + " challenge as its body", field);
            }
        });
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
        if (project.retentionDays() == null) node.putNull("retention_days"); // the node's retention.days
        else node.put("retention_days", project.retentionDays());
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
            throw ApiError.badRequest("invalid_format", "webhook_format must be one of "
                    + String.join(", ", PayloadFormat.NAMES.stream().sorted().toList()), "webhook_format");
        }
        return format;
    }
}
