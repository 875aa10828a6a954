package io.switchboard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard admin projects|tokens|numbers list|create|delete}: a node's projects, tokens and numbers managed
 * over its HTTP API, as curl would, so it works against any node of a cluster and needs no access to its store. The
 * node checks everything: a refusal is shown as the API gave it (status, code, message, field) and exits with 2.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Manages a node's projects (with the node admin's token), and a project's tokens and numbers "
                + "(with its token), over the node's HTTP API.",
                "The token: --token, else the SWITCHBOARD_TOKEN environment variable. --json prints the node's answers."},
        subcommands = {AdminCommand.Projects.class, AdminCommand.Tokens.class, AdminCommand.Numbers.class})
public final class AdminCommand {

    @Command(name = "projects", mixinStandardHelpOptions = true,
            description = "The node's projects; the node admin's token (admin-token, SWITCHBOARD_ADMIN_TOKEN).")
    static final class Projects {
        private static final Map<String, Function<JsonNode, String>> COLUMNS = columns(
                "ID", "id", "NAME", "name", "WEBHOOK_URL", "webhook_url", "EVENT_WEBHOOK_URL", "event_webhook_url",
                "EVENTS", "events_enabled", "FORMAT", "webhook_format");

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every project of the node, by id.")
        void list(@Mixin NodeApi api) {
            api.printList(api.list("/v1/projects", "projects"), "projects", COLUMNS);
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Makes a project; prints its first token (every scope) and webhook "
                + "secret, shown this once.")
        void create(@Mixin NodeApi api,
                    @Option(names = "--name", required = true, paramLabel = "NAME") String name,
                    @Option(names = "--webhook-url", paramLabel = "URL", description = "where incoming messages go") String webhookUrl,
                    @Option(names = "--event-webhook-url", paramLabel = "URL", description = "where statuses go") String eventWebhookUrl,
                    @Option(names = "--events-enabled", arity = "1", paramLabel = "true|false", description = "the Event Webhook on (default) or off") Boolean eventsEnabled,
                    @Option(names = "--webhook-format", paramLabel = "native|cloud|push") String webhookFormat,
                    @Option(names = "--webhook-concurrency", paramLabel = "N", description = "calls at once to the project's server (0: the node's default)") Integer concurrency,
                    @Option(names = "--webhook-rate", paramLabel = "N", description = "calls a second to the project's server (0: no cap)") Integer rate,
                    @Option(names = "--webhook-verify-token", paramLabel = "TOKEN", description = "for --webhook-format cloud: Meta's handshake with the URLs") String verifyToken,
                    @Option(names = "--retention-days", paramLabel = "DAYS", description = "how long its messages are kept (default: the node's retention.days)") Integer retentionDays) {
            ObjectNode body = NodeApi.object().put("name", name);
            putIfGiven(body, "webhook_url", webhookUrl);
            putIfGiven(body, "event_webhook_url", eventWebhookUrl);
            if (eventsEnabled != null) body.put("events_enabled", eventsEnabled);
            putIfGiven(body, "webhook_format", webhookFormat);
            if (concurrency != null) body.put("webhook_concurrency", concurrency);
            if (rate != null) body.put("webhook_rate", rate);
            putIfGiven(body, "webhook_verify_token", verifyToken);
            if (retentionDays != null) body.put("retention_days", retentionDays);
            JsonNode made = api.post("/v1/projects", body);
            api.printObject(made);
            if (!api.json) api.out().println("The token and the webhook secret are shown this once: keep them now.");
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a project: its tokens are refused "
                + "at once, its numbers deleted, its data removed by the retention sweeper.")
        void delete(@Mixin NodeApi api, @Parameters(paramLabel = "ID", description = "the project's id") String id) {
            JsonNode answer = api.delete("/v1/projects/" + NodeApi.segment(id));
            api.printDone("project " + id + " deleted", answer);
        }
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true,
            description = "A project's tokens; a token of the project with the admin scope.")
    static final class Tokens {
        private static final Map<String, Function<JsonNode, String>> COLUMNS = columns(
                "ID", "id", "NAME", "name", "SCOPES", "scopes", "CREATED", "created", "LAST_USED", "last_used");

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the project's tokens, oldest first (never the tokens themselves).")
        void list(@Mixin NodeApi api) {
            api.printList(api.list("/v1/tokens", "tokens"), "tokens", COLUMNS);
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Makes a token; prints it, shown this once.")
        void create(@Mixin NodeApi api,
                    @Option(names = "--name", required = true, paramLabel = "NAME") String name,
                    @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE",
                            description = "send, read, admin: one or more, comma-separated") List<String> scopes) {
            ObjectNode body = NodeApi.object().put("name", name);
            scopes.forEach(body.putArray("scopes")::add);
            JsonNode made = api.post("/v1/tokens", body);
            api.printObject(made);
            if (!api.json) api.out().println("The token is shown this once: keep it now.");
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revokes a token, at once (the project's last admin token stays).")
        void delete(@Mixin NodeApi api, @Parameters(paramLabel = "ID", description = "the token's id") String id) {
            JsonNode answer = api.delete("/v1/tokens/" + NodeApi.segment(id));
            api.printDone("token " + id + " revoked", answer);
        }
    }

    @Command(name = "numbers", mixinStandardHelpOptions = true,
            description = "A project's business numbers; a token of the project (list: read, create and delete: admin).")
    static final class Numbers {
        private static final Map<String, Function<JsonNode, String>> COLUMNS = numberColumns();

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the project's numbers, with what is queued on the node asked.")
        void list(@Mixin NodeApi api) {
            api.printList(api.list("/v1/numbers", "numbers"), "numbers", COLUMNS);
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Adds a number on the network (a number on Meta's Cloud API: POST "
                + "/v1/numbers with its upstream, in the README).")
        void create(@Mixin NodeApi api,
                    @Option(names = "--number", required = true, paramLabel = "E164", description = "such as +919800000001") String number,
                    @Option(names = "--tps", paramLabel = "N", description = "its budget a second (default 20)") Integer tps,
                    @Option(names = "--shards", paramLabel = "N", description = "1, 2, 4, 8, 16 or 32 (default 1)") Integer shards,
                    @Option(names = "--delivery-reports", arity = "1", paramLabel = "true|false", description = "delivered reports on (default) or off") Boolean deliveryReports) {
            ObjectNode body = NodeApi.object().put("number", number);
            if (tps != null) body.put("tps", tps);
            if (shards != null) body.put("shards", shards);
            if (deliveryReports != null) body.put("delivery_reports", deliveryReports);
            api.printObject(api.post("/v1/numbers", body));
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a number: its queued messages are cancelled, its shards stop.")
        void delete(@Mixin NodeApi api, @Parameters(paramLabel = "E164", description = "the number") String number) {
            JsonNode answer = api.delete("/v1/numbers/" + NodeApi.segment(number));
            api.printDone("number " + number + " deleted", answer);
        }

        private static Map<String, Function<JsonNode, String>> numberColumns() {
            Map<String, Function<JsonNode, String>> columns = new LinkedHashMap<>(columns("NUMBER", "number", "TPS", "tps",
                    "SHARDS", "shards", "DELIVERY_REPORTS", "delivery_reports"));
            columns.put("UPSTREAM", item -> item.path("upstream").isObject() ? item.path("upstream").path("kind").asText() : "network");
            // The queue is the asked node's: in a cluster each node shows what waits on the shards it runs.
            columns.put("QUEUED", item -> item.path("queue").isObject()
                    ? String.valueOf(item.path("queue").valueStream().mapToLong(JsonNode::asLong).sum()) : "-");
            return columns;
        }
    }

    /** Table columns from header and field pairs, in order. */
    private static Map<String, Function<JsonNode, String>> columns(String... headersAndFields) {
        Map<String, Function<JsonNode, String>> columns = new LinkedHashMap<>();
        for (int i = 0; i < headersAndFields.length; i += 2) {
            String field = headersAndFields[i + 1];
            columns.put(headersAndFields[i], item -> NodeApi.text(item.get(field)));
        }
        return columns;
    }

    private static void putIfGiven(ObjectNode body, String field, String value) {
        if (value != null) body.put(field, value);
    }
}
