package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node process for the fault drills: an admin token of its own, webhooks to loopback allowed, and no per-project
 * or per-token rate limits (the drills measure how the node survives, not its abuse limits).
 */
public final class DrillNode implements AutoCloseable {
    private final String adminToken = Tokens.newToken("sba_");
    private final NodeProcess process;

    /**
     * @param settings   more {@code SWITCHBOARD_*} settings (the database, webhook tuning ...)
     * @param jvmOptions options of the node's JVM, such as {@code -Xmx512m}
     */
    public DrillNode(Path log, Path data, int networkPort, Map<String, String> settings, List<String> jvmOptions)
            throws IOException {
        Map<String, String> environment = new HashMap<>(Map.of("SWITCHBOARD_ADMIN_TOKEN", adminToken,
                "SWITCHBOARD_ALLOW_PRIVATE_URLS", "true", "SWITCHBOARD_API_RATE_PER_TOKEN", "0",
                "SWITCHBOARD_API_RATE_PER_PROJECT", "0", "SWITCHBOARD_WEBHOOKS_CONCURRENCY", "64"));
        environment.putAll(settings);
        this.process = new NodeProcess(log, environment, jvmOptions, "--network", "127.0.0.1:" + networkPort,
                "--data", data.toString());
    }

    public DrillNode start() throws IOException, InterruptedException {
        process.start();
        return this;
    }

    public NodeProcess process() {
        return process;
    }

    public ApiClient api() {
        return process.api();
    }

    /** A project whose Webhook and Event Webhook go to the given URLs (either may be null); answers its token. */
    public String project(String name, String webhookUrl, String eventWebhookUrl) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name));
        if (webhookUrl != null) body.put("webhook_url", webhookUrl);
        if (eventWebhookUrl != null) body.put("event_webhook_url", eventWebhookUrl);
        JsonNode created = api().expect(201, "/v1/projects", adminToken, body);
        return created.get("token").asText();
    }

    public void number(String token, String number, int tps, int shards) throws IOException, InterruptedException {
        api().expect(201, "/v1/numbers", token, Map.of("number", number, "tps", tps, "shards", shards));
    }

    /** Whether {@code GET /ready} answers 200: the store answers and every shard worker runs. */
    public boolean ready() {
        try {
            return api().get("/ready", "").status() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
