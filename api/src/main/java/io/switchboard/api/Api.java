package io.switchboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.dispatcher.urls.OutboundUrls;
import io.switchboard.engine.Engine;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.Messages;
import io.switchboard.store.Numbers;
import io.switchboard.store.Projects;
import io.switchboard.store.cluster.Leases;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.StoreException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (the guide's WebApp): token-authenticated JSON for projects, numbers and messages.
 * Handlers run on virtual threads, so waiting for a durable write before answering 202 costs no platform thread.
 */
public final class Api implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    public static final int MAX_MESSAGES_PER_REQUEST = 1_000;

    /** What the API works on; {@code adminTokenHash} is the SHA-256 of the admin token. */
    public record Parts(Engine engine, Projects projects, Numbers numbers, Messages messages, Vault vault,
                        ObjectMapper json, Clock clock, String adminTokenHash, Webhooks webhooks, Cluster cluster) {}

    /** This node in its cluster: its id, its address, and the shared leases (null on a single node). */
    public record Cluster(String nodeId, String address, Leases leases, long leaseMillis) {}

    /** The webhook side: the dispatcher, the dead letters, the signing secrets and the check of outbound URLs. */
    public record Webhooks(Dispatcher dispatcher, DeadLetters deadLetters, SigningSecrets secrets, OutboundUrls urls) {}

    private final ObjectMapper json;
    private final Requests requests;
    private final Tenants tenants;
    private final Javalin server;

    public Api(Parts parts) {
        this.json = parts.json();
        this.requests = new Requests(json);
        this.tenants = new Tenants(parts.projects(), parts.adminTokenHash());
        this.server = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 4L * 1024 * 1024;
        });
        server.get("/health", ctx -> requests.send(ctx, 200, json.createObjectNode().put("status", "ok")));
        new ProjectRoutes(parts, tenants, requests).addTo(server);
        new NumberRoutes(parts, tenants, requests).addTo(server);
        new MessageRoutes(parts, tenants, requests).addTo(server);
        new WebhookRoutes(parts.webhooks(), tenants, requests, parts.clock()).addTo(server);
        new ClusterRoutes(parts.cluster(), parts.engine(), tenants, requests).addTo(server);
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
