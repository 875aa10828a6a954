package io.switchboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;
import io.javalin.router.ParsedEndpoint;
import io.switchboard.api.dashboard.DashboardSessions;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.engine.Engine;
import io.switchboard.engine.QueueFull;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.engine.media.MediaQuotaExceeded;
import io.switchboard.engine.media.MediaTooLarge;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.metrics.NodeMetrics;
import io.switchboard.network.cloud.CloudLinks;
import io.switchboard.metrics.health.Readiness;
import io.switchboard.metrics.live.LiveHistory;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.BusinessProfiles;
import io.switchboard.store.Contacts;
import io.switchboard.store.Groups;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.Messages;
import io.switchboard.store.Numbers;
import io.switchboard.store.Projects;
import io.switchboard.store.Upstreams;
import io.switchboard.store.Tombstones;
import io.switchboard.store.Usage;
import io.switchboard.store.cluster.Leases;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.StoreBusy;
import io.switchboard.store.db.StoreException;
import io.switchboard.store.ids.NodeIds;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.EnumSet;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import java.util.List;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (the guide's WebApp): token-authenticated JSON for projects, numbers and messages.
 * Handlers run on virtual threads, so waiting for a durable write before answering 202 costs no platform thread.
 */
public final class Api implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    /** A busy writer clears its queue within a second or so; a store that is down takes longer to come back. */
    private static final long STORE_BUSY_RETRY_S = 1;
    /** A project's full queue drains at its numbers' TPS: a second frees room for at least one message a shard. */
    private static final long QUEUE_FULL_RETRY_S = 1;
    private static final long STORE_DOWN_RETRY_S = 5;
    public static final int MAX_MESSAGES_PER_REQUEST = 1_000;
    static final String MEDIA_UPLOAD_PATH = "/v1/media";
    /** The largest media upload: the largest file WhatsApp takes, and 64 KiB for the form around it. */
    static final long MAX_UPLOAD_BYTES = MediaTypes.LARGEST + 64 * 1_024;

    /** What the API works on; {@code adminTokenHash} is the SHA-256 of the admin token. */
    public record Parts(Engine engine, Projects projects, Numbers numbers, Messages messages, Vault vault,
                        ObjectMapper json, Clock clock, String adminTokenHash, Webhooks webhooks, Cluster cluster,
                        Management management,
                        Observability observability, Upstream upstream, Directory directory,
                        MediaLibrary media, NodeIds ids) {}

    /** Numbers connected to Meta's Cloud API: where each is connected, and the links of those running here. */
    public record Upstream(Upstreams upstreams, CloudLinks links) {}

    /**
     * The node's copies of the numbers' groups, the contacts they heard from, their business profiles, and the
     * projects' message templates.
     */
    public record Directory(Groups groups, Contacts contacts, BusinessProfiles profiles, TemplateRegistry templates) {}

    /**
     * This node in its cluster: its id, its address, the shared leases (null on a single node), and the key the nodes
     * sign the requests they pass on to each other with.
     */
    public record Cluster(String nodeId, String address, Leases leases, long leaseMillis, byte[] key) {}

    /** Project tokens, the usage counters, and the abuse limits. */
    public record Management(ApiTokens tokens, Usage usage, Limits limits, Tombstones tombstones) {}

    /**
     * Requests a second per token (0: no limit) with bursts of up to {@code burstPerToken}; the largest body (a media
     * upload may be as large as the largest media WhatsApp takes, with room for its form).
     */
    public record Limits(int ratePerProject, int burstPerProject, int ratePerToken, int burstPerToken,
                         int unknownTokensPerSecond, long maxBodyBytes, int maxConnections, int maxRequestsInFlight) {}

    /**
     * The node's own figures: its metrics, the dashboard's live history and logins, its readiness, and whether
     * {@code /metrics} is open to anyone (else it takes the admin token).
     */
    public record Observability(NodeMetrics metrics, LiveHistory history, DashboardSessions sessions,
                                Readiness readiness, boolean metricsOpen) {}

    /** The webhook side: the dispatcher, the dead letters, the signing secrets and the check of outbound URLs. */
    public record Webhooks(Dispatcher dispatcher, DeadLetters deadLetters, SigningSecrets secrets, OutboundUrls urls) {}

    private final ObjectMapper json;
    private final Requests requests;
    private final Tenants tenants;
    private final Javalin server;
    /** The connectors once made (by Jetty, at start), when there is HTTPS; else Javalin makes its one plain one. */
    private volatile ServerConnector httpsConnector;
    private volatile ServerConnector plainConnector;
    /** Where {@link #start} asked plain HTTP to listen; read when Jetty makes the connectors. */
    private volatile String plainHost;
    private volatile int plainPort;

    /**
     * {@code tls}: the HTTPS listener beside plain HTTP, or {@link Tls#NONE}; {@code behindProxy}: the
     * {@code Forwarded} / {@code X-Forwarded-*} headers of a reverse proxy in front are believed (else ignored, as
     * anyone could send them).
     */
    public Api(Parts parts, Tls tls, boolean behindProxy) {
        this.json = parts.json();
        this.requests = new Requests(json);
        Management management = parts.management();
        this.tenants = new Tenants(management.tokens(), parts.projects()::byId, parts.adminTokenHash(), parts.clock(),
                management.limits().unknownTokensPerSecond());
        ClusterCalls clusterCalls = new ClusterCalls(parts.cluster().key(), parts.clock());
        Limits limits = management.limits();
        RateLimits rates = new RateLimits(new RateLimits.Rate(limits.ratePerProject(), limits.burstPerProject()),
                new RateLimits.Rate(limits.ratePerToken(), limits.burstPerToken()));
        Access access = new Access(tenants, rates);
        BodyLimit bodyLimit = new BodyLimit(management.limits().maxBodyBytes(),
                path -> path.equals(MEDIA_UPLOAD_PATH) || GraphObjectRoutes.isUpload(path), MAX_UPLOAD_BYTES);
        this.server = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = management.limits().maxBodyBytes();
            if (tls.enabled()) {
                // Javalin makes no plain connector of its own once one is added: make both.
                config.jetty.addConnector((jetty, http) -> plainConnector = plain(jetty, http));
                config.jetty.addConnector((jetty, http) -> httpsConnector = tls.connector(jetty, http));
            }
            // An upload is parsed into a temporary file past 1 MiB (deleted when the request ends), not into memory.
            // Jetty's own cap is the upload's: within it, the media's type decides, and the error names that limit.
            config.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_BYTES, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(MAX_UPLOAD_BYTES, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            if (behindProxy) config.jetty.modifyHttpConfiguration(http -> http.addCustomizer(new ForwardedRequestCustomizer()));
            // Past the limit Jetty stops accepting: new connections wait in the operating system's queue.
            config.jetty.modifyServer(jetty -> jetty.addBean(new ConnectionLimit(limits.maxConnections(), jetty)));
            JettyErrors jettyErrors = new JettyErrors(json);
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(jettyErrors));
            config.jetty.modifyServletContextHandler(handler -> {
                handler.addFilter(new FilterHolder(bodyLimit), "/*", EnumSet.of(DispatcherType.REQUEST));
                handler.setErrorHandler(jettyErrors);
            });
        });
        RequestsInFlight inFlight = new RequestsInFlight(limits.maxRequestsInFlight());
        server.before(inFlight::enter);
        server.after(inFlight::leave);
        server.after(Requests::readToEnd);
        server.before(ctx -> bodyLimit.check(ctx.req(), ctx.res()));
        server.before(ctx -> {
            if (ShardOwners.passedOn(ctx)) clusterCalls.verify(ctx);
        });
        server.beforeMatched(access::check);
        server.get("/health", ctx -> requests.send(ctx, 200, json.createObjectNode().put("status", "ok")));
        new ProjectRoutes(parts, tenants, requests).addTo(server);
        new NumberRoutes(parts, tenants, requests).addTo(server);
        new MessageRoutes(parts, tenants, requests).addTo(server);
        new CloudRoutes(parts, tenants, requests).addTo(server);
        new PushRoutes(parts, access, requests).addTo(server);
        new WebhookRoutes(parts.webhooks(), tenants, requests, parts.clock()).addTo(server);
        new ClusterRoutes(parts.cluster(), parts.engine(), tenants, requests).addTo(server);
        new TokenRoutes(management.tokens(), parts.ids(), tenants, rates, requests, parts.clock()).addTo(server);
        new UsageRoutes(parts.numbers(), management.usage(), tenants, requests, parts.clock()).addTo(server);
        new ObservabilityRoutes(parts.observability(), tenants, requests).addTo(server);
        new CloudWebhookRoutes(parts, requests).addTo(server);
        new GroupRoutes(parts.engine(), parts.directory().groups(), tenants, requests, parts.clock(), parts.cluster())
                .addTo(server);
        new ContactRoutes(parts.engine(), parts.directory().contacts(), tenants, requests).addTo(server);
        MediaRoutes media = new MediaRoutes(parts.media(), tenants, requests);
        media.addTo(server);
        new OpenApiRoutes(json).addTo(server);
        // Last: their paths are all variables, which Javalin would otherwise match before a route named in full.
        new BusinessProfileRoutes(parts, tenants, requests).addTo(server);
        new TemplateRoutes(parts, tenants, requests).addTo(server);
        new GraphObjectRoutes(parts, tenants, requests, media).addTo(server);
        server.exception(ApiError.class, (e, ctx) -> answerError(ctx, e));
        server.exception(ShardOwners.Answered.class, (e, ctx) -> { }); // another node's answer is written already
        server.exception(MediaTooLarge.class, (e, ctx) -> answerError(ctx,
                new ApiError(413, "media_too_large", e.getMessage(), e.field())));
        server.exception(MediaQuotaExceeded.class, (e, ctx) -> answerError(ctx,
                new ApiError(507, "storage_quota_exceeded", e.getMessage(), e.field())));
        server.exception(InvalidInput.class, (e, ctx) -> answerError(ctx, ApiError.badRequest(e.code(), e.getMessage(), e.field())));
        server.exception(QueueFull.class, (e, ctx) -> answerError(ctx, ApiError.tooMany("queue_full", e.getMessage(),
                QUEUE_FULL_RETRY_S)));
        server.exception(StoreBusy.class, (e, ctx) -> answerError(ctx, ApiError.unavailable("store_busy",
                "the node has more writes waiting than it takes on; nothing was accepted", STORE_BUSY_RETRY_S)));
        server.exception(StoreException.class, (e, ctx) -> answerError(ctx, ApiError.unavailable("store_unavailable",
                "the store did not take the request; nothing was accepted", STORE_DOWN_RETRY_S)));
        // An unknown route: in the error shape too, whatever the request's Content-Type or Accept header says.
        server.exception(EndpointNotFound.class, (e, ctx) ->
                answerError(ctx, ApiError.notFound("route " + ctx.method() + " " + ctx.path())));
    }

    public Api start(String host, int port) {
        plainHost = host;
        plainPort = port;
        server.start(host, port);
        return this;
    }

    /** The plain HTTP port. */
    public int port() {
        ServerConnector plain = plainConnector;
        return plain == null ? server.port() : plain.getLocalPort();
    }

    private ServerConnector plain(org.eclipse.jetty.server.Server jetty, org.eclipse.jetty.server.HttpConfiguration http) {
        ServerConnector connector = new ServerConnector(jetty, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost(plainHost);
        connector.setPort(plainPort);
        return connector;
    }

    /** The HTTPS port, or -1 without HTTPS. */
    public int httpsPort() {
        ServerConnector connector = httpsConnector;
        return connector == null ? -1 : connector.getLocalPort();
    }

    /** A route the node serves: its method and its path as registered, such as {@code /v1/messages/{id}}. */
    public record Route(String method, String path) {}

    /** Every route registered, from Javalin's router (filters such as before-handlers are not routes). */
    public List<Route> routes() {
        return server.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream().map(ParsedEndpoint::getEndpoint)
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .map(endpoint -> new Route(endpoint.getMethod().name(), endpoint.getPath())).distinct().toList();
    }

    private void answerError(Context ctx, ApiError error) {
        if (error.code().equals("store_busy")) LOG.debug("{} {}: 503 store_busy", ctx.method(), ctx.path()); // the writer logs once a spell
        else if (error.serverFault()) LOG.error("{} {}: {} {}", ctx.method(), ctx.path(), error.status(), error.getMessage());
        else if (error.status() == 429) LOG.debug("{} {}: 429", ctx.method(), ctx.path()); // RateLimits logs once a spell
        else LOG.info("{} {}: {} {} field={}", ctx.method(), ctx.path(), error.status(), error.code(), error.field());
        error.headers().forEach(ctx::header);
        if (CloudRoutes.isGraph(ctx.path())) {
            GraphErrors.Graph graph = GraphErrors.of(error, ctx.method().name());
            String details = error.field() == null ? error.getMessage() : error.getMessage() + " (" + error.field() + ")";
            requests.send(ctx, graph.status(), GraphErrors.body(json, graph, details));
            return;
        }
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
