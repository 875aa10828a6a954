package io.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.api.Api;
import io.switchboard.api.TemplateRegistry;
import io.switchboard.api.Tls;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.dispatcher.DispatcherSettings;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.dispatcher.media.LinkFetcher;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.engine.media.MediaUrls;
import io.switchboard.store.BusinessProfiles;
import io.switchboard.store.MessageTemplates;
import io.switchboard.store.MediaFiles;
import io.switchboard.engine.Engine;
import io.switchboard.engine.EngineSettings;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.upstream.UpstreamLinks;
import io.switchboard.engine.upstream.UpstreamMedia;
import io.switchboard.network.cloud.CloudLinks;
import io.switchboard.app.cluster.ClusterMember;
import io.switchboard.app.keys.MasterKeys;
import io.switchboard.app.retention.RetentionSweeper;
import io.switchboard.store.Retention;
import io.switchboard.store.SweepGuard;
import io.switchboard.store.Tombstones;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.cluster.Leases;
import io.switchboard.store.Contacts;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.Groups;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Messages;
import io.switchboard.store.Numbers;
import io.switchboard.store.Project;
import io.switchboard.store.Projects;
import io.switchboard.store.Settings;
import io.switchboard.store.StoreKeys;
import io.switchboard.store.UpstreamMediaIds;
import io.switchboard.store.Upstreams;
import io.switchboard.store.Usage;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import io.switchboard.store.ids.NodeIds;
import io.switchboard.store.write.WriteBatcher;
import io.switchboard.api.dashboard.DashboardSessions;
import io.switchboard.metrics.NodeMetrics;
import io.switchboard.metrics.WebhookLatency;
import io.switchboard.metrics.census.MessageCensus;
import io.switchboard.metrics.health.Readiness;
import io.switchboard.metrics.live.LiveHistory;
import io.switchboard.metrics.shards.LeaseShardMap;
import io.switchboard.metrics.shards.LocalShardMap;
import io.switchboard.metrics.shards.ShardMap;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Switchboard node: the store, the engine with its shard workers, the dispatcher and the API, wired and
 * started in dependency order, and stopped in reverse.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final int WRITES_PER_COMMIT = 2_000;
    /** How far back the dashboard's charts reach. */
    private static final Duration HISTORY = Duration.ofMinutes(5);
    private static final Duration READY_STORE_TIMEOUT = Duration.ofSeconds(2);
    private static final long LATE_COMMIT_MILLIS = 10_000;

    private final Database database;
    private final NodeIds ids;
    private final WriteBatcher writer;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final Api api;
    private final CloudLinks cloudLinks;
    private final Messages messages;
    private final LiveHistory liveHistory;
    private MediaLibrary media;
    private LinkFetcher linkFetcher;
    private ScheduledExecutorService mediaSweeper;
    private RetentionSweeper retention;
    private volatile String name = "starting";
    private final ClusterMember cluster;
    /** The latest project change this node applied, by the store's clock (in a cluster). */
    private long projectsSeenUntil;
    /** The numbers whose shard leases this node made sure exist. */
    private final Set<String> leased = ConcurrentHashMap.newKeySet();

    private Node(NodeConfig config, PrintStream out, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        NodeConfig.Store store = config.store();
        this.database = store.open();
        try {
            this.ids = NodeIds.start(database);
            Settings settings = new Settings(database);
            Vault vault = MasterKeys.open(config, settings);
            String adminTokenHash = adminTokenHash(config, settings, out);
            this.writer = new WriteBatcher(database, WRITES_PER_COMMIT, store.maxQueuedWrites());
            Projects projects = new Projects(database);
            Numbers numbers = new Numbers(database);
            this.messages = new Messages(database);

            NodeConfig.Webhooks hooks = config.webhooks();
            DispatcherSettings dispatch = new DispatcherSettings(hooks.concurrencyPerEndpoint(), hooks.eventBatchSize(),
                    hooks.eventBatchDelay(), hooks.firstRetry(), hooks.maxRetryDelay(), hooks.retryWindow(),
                    hooks.timeout(), hooks.circuitFailures(), hooks.maxProbeInterval(), hooks.callsInMemory());
            OutboundUrls urls = new OutboundUrls(hooks.allowPrivateUrls());
            WebhookLatency latency = new WebhookLatency();
            SigningSecrets secrets = new SigningSecrets(projects, vault, clock::millis);
            Upstreams upstreams = new Upstreams(database);
            this.dispatcher = new Dispatcher(dispatch, new Dispatcher.Parts(writer,
                    (project, replies, rejected, alsoCommit) -> engine().instantReplies(project, replies, rejected, alsoCommit),
                    id -> engine().project(id).orElse(null), this::openPayload, this::openOrigin, secrets::signer,
                    urls, json, latency, projectId -> media.ids(projectId),
                    events -> engine().withMessages(events, number -> upstreams.find(number).isPresent()), messages));
            NodeConfig.Cluster clustering = config.cluster();
            EngineSettings engineSettings = EngineSettings.of(config.network().host(), config.network().port())
                    .clustered(clustering.enabled()).contactRefresh(config.network().contactRefresh())
                    .queueRoomPerProject(config.api().maxQueuedPerProject());
            NodeConfig.Upstream upstream = config.upstream();
            this.cloudLinks = new CloudLinks(new CloudLinks.Settings(upstream.timeout(), upstream.concurrency(),
                    upstream.firstRetry(), upstream.maxRetryDelay()), urls);
            this.engine = new Engine(engineSettings, new Engine.Parts(vault, messages, writer, ids, dispatcher, clock,
                    (projectId, number, type, payload) -> linkFetcher.fetch(projectId, number, type, payload),
                    (projectId, number, type, payload) -> media.receive(projectId, number, type, payload)),
                    new UpstreamLinks(new UpstreamLinks.Parts(upstreams, vault, messages, cloudLinks,
                            new UpstreamMedia(new UpstreamMediaIds(database), () -> media)),
                            Engine.networkLinks(engineSettings)));
            this.media = new MediaLibrary(new MediaFiles(database), engine, mediaUrls(config, settings, vault, clock),
                    ids, clock, config.media().quotaBytes());
            this.linkFetcher = new LinkFetcher(media, urls, config.media().fetchTimeout(),
                    config.media().fetchesPerProject());
            this.mediaSweeper = sweepMedia(config.media().sweepEvery());

            Leases leases = clustering.enabled() ? new Leases(database) : null;
            // The store's message counts before this node changes them; the census adds what it does from now on.
            MessageCensus census = new MessageCensus(engine, messages.reached(Engine.REJECTED_TYPE));
            // Each shard that starts here has the dispatcher read back what the store owes for it (Deliveries).
            if (leases == null) {
                openNumbers(projects, numbers, null);
            } else {
                openNumbers(projects, numbers, leases);
                engine.openFromStore(number -> numbers.find(number).map(found -> {
                    if (leased.add(found.number())) leases.ensure(found.number(), found.shards());
                    projects.byId(found.projectId()).ifPresent(project -> engine.open(found, project));
                    return true;
                }).orElse(false));
            }

            Tombstones tombstones = new Tombstones(database);
            this.retention = new RetentionSweeper(new Retention(database), new SweepGuard(database, clustering.nodeId()),
                    clock, config.retention().days(), config.retention().sweepEvery()).start();
            DeadLetters deadLetters = new DeadLetters(database);
            ShardMap shardMap = leases == null ? new LocalShardMap(engine, () -> name)
                    : new LeaseShardMap(leases, engine, clustering.nodeId());
            NodeMetrics metrics = new NodeMetrics(new NodeMetrics.Sources(engine, dispatcher, census, shardMap, latency,
                    deadLetters::countByProject, writer::failedCommits, store.data()));
            this.liveHistory = new LiveHistory(new LiveHistory.Parts(engine, metrics, latency, census, shardMap,
                    dispatcher::backlog), HISTORY).start();
            NodeConfig.Observability shown = config.observability();
            Api.Observability observability = new Api.Observability(metrics, liveHistory,
                    new DashboardSessions(clock, shown.dashboardSession()),
                    new Readiness(database, engine, READY_STORE_TIMEOUT), shown.metricsOpen());
            NodeConfig.Api limits = config.api();
            this.api = new Api(new Api.Parts(engine, projects, numbers, messages, vault, json, clock, adminTokenHash,
                    new Api.Webhooks(dispatcher, deadLetters, secrets, urls),
                    new Api.Cluster(clustering.nodeId(), clustering.address(), leases, clustering.lease().toMillis(),
                            StoreKeys.get(settings, vault, StoreKeys.CLUSTER_CALLS)),
                    new Api.Management(new ApiTokens(database), new Usage(database),
                            new Api.Limits(limits.ratePerProject(), limits.burstPerProject(),
                                    limits.ratePerToken(), limits.burstPerToken(), limits.unknownTokensPerSecond(),
                                    limits.maxBodyBytes(), limits.maxConnections(), limits.maxRequestsInFlight()),
                            tombstones),
                    observability, new Api.Upstream(upstreams, cloudLinks),
                    new Api.Directory(new Groups(database), new Contacts(database), new BusinessProfiles(database),
                            new TemplateRegistry(new MessageTemplates(database), upstreams)), media, ids), tls(config.http()),
                    config.http().behindProxy())
                    .start(config.http().host(), config.http().port());
            // Joins once its API listens, so that the address the other nodes see is where it answers.
            this.cluster = leases == null ? null : new ClusterMember(new ClusterMember.Settings(clustering.nodeId(),
                    advertised(clustering.address(), api.port()), clustering.heartbeat(), clustering.lease(),
                    clustering.handoffPoll()), leases, engine, () -> {
                        followProjects(projects, secrets);
                        openNumbers(projects, numbers, leases);
                        closeDeleted(tombstones);
                    }).start();
            this.name = leases != null ? clustering.nodeId() : hostName() + ":" + api.port();
            LOG.info("node up: API on port {}, network {}:{}, store {}", api.port(), config.network().host(),
                    config.network().port(), store.embedded() ? store.data().toAbsolutePath() : database.dialect());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens every number in the store that is not open here yet (in a cluster, numbers another node added too),
     * follows a shard count another node changed, and makes sure each number has its shard leases.
     */
    private void openNumbers(Projects projects, Numbers numbers, Leases leases) {
        Map<String, Project> byId = null;
        for (BusinessNumber number : numbers.all()) {
            if (leases != null && leased.add(number.number())) leases.ensure(number.number(), number.shards());
            var open = engine.line(number.number());
            if (open.isPresent()) {
                BusinessNumber running = open.get().number();
                // Re-sharded by another node: its leases were taken away, so none of the old shards runs here now.
                if (running.shards() != number.shards()) engine.reopen(number);
                // Its budget or delivery reports changed through another node's API: apply them to the shards here.
                else if (running.tps() != number.tps() || running.deliveryReports() != number.deliveryReports()) {
                    engine.update(number);
                }
                continue;
            }
            if (byId == null) byId = projects.all().stream().collect(Collectors.toMap(Project::id, Function.identity()));
            Project project = byId.get(number.projectId());
            if (project != null) engine.open(number, project);
        }
    }

    /** In a cluster: stops here the numbers another node deleted (their leases are gone; their shards stop anyway). */
    private void closeDeleted(Tombstones tombstones) {
        for (Tombstones.Tombstone deleted : tombstones.all()) {
            if (!deleted.kind().equals(Tombstones.NUMBER)) continue;
            try { // a number not open here is nothing to remove
                engine.remove(deleted.name(), Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * In a cluster: applies here what another node changed in a project (its webhook settings, its signing secret),
     * by the projects' change times in the store. Changes are read again for a while after they were made, so one
     * whose commit came late (its time is the database's clock at the statement) is not passed over.
     */
    private void followProjects(Projects projects, SigningSecrets secrets) {
        Projects.Changes changes = projects.changedSince(projectsSeenUntil - LATE_COMMIT_MILLIS);
        for (Project project : changes.projects()) {
            secrets.forget(project.id());
            if (engine.project(project.id()).filter(known -> !known.equals(project)).isPresent()) engine.update(project);
        }
        projectsSeenUntil = Math.max(projectsSeenUntil, changes.latest());
    }

    /** Where the other nodes reach this node's API: as configured, with the port it listens on for port 0 (any free). */
    private static String advertised(String address, int port) {
        return address.endsWith(":0") ? address.substring(0, address.length() - 1) + port : address;
    }

    public static Node start(NodeConfig config, PrintStream out) {
        return start(config, out, Clock.systemUTC());
    }

    /** A node on {@code clock} (what messages are stamped with and retention counts by; tests move it forward). */
    public static Node start(NodeConfig config, PrintStream out, Clock clock) {
        return new Node(config, out, clock);
    }

    /** The retention sweeper, to run a sweep now. */
    public RetentionSweeper retention() {
        return retention;
    }

    public Engine engine() {
        return engine;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public MediaLibrary media() {
        return media;
    }

    /** Signed URLs of incoming media, with a key of the store's, so every node of a cluster signs and checks alike. */
    private MediaUrls mediaUrls(NodeConfig config, Settings settings, Vault vault, Clock clock) {
        byte[] key = StoreKeys.get(settings, vault, StoreKeys.MEDIA_URLS);
        String configured = config.media().publicUrl();
        String host = "0.0.0.0".equals(config.http().host()) ? "127.0.0.1" : config.http().host();
        return new MediaUrls(key, () -> configured != null ? configured : "http://" + host + ":" + api.port(),
                config.media().urlValid(), clock);
    }

    /** Deletes expired media every {@code every}; every node does, and a file deleted twice is deleted once. */
    private ScheduledExecutorService sweepMedia(Duration every) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("media-sweeper").daemon(true).factory());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int swept = media.sweep();
                if (swept > 0) LOG.info("media: {} expired file(s) deleted", swept);
            } catch (RuntimeException e) {
                LOG.warn("media sweep failed (tried again in {}): {}", every, e.toString());
            }
        }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return sweeper;
    }

    /** Messages in the store, both ways, for every project. */
    public long messageCount() {
        return messages.count();
    }

    public int httpPort() {
        return api.port();
    }

    /** The HTTPS port, or -1 when the node serves plain HTTP only. */
    public int httpsPort() {
        return api.httpsPort();
    }

    private static Tls tls(NodeConfig.Http http) {
        return http.httpsPort() < 0 ? Tls.NONE
                : new Tls(http.host(), http.httpsPort(), http.keystore(), http.keystorePassword());
    }

    /** The routes the node's API serves. */
    public java.util.List<Api.Route> routes() {
        return api.routes();
    }

    /** How this node is named on the shard map: its cluster node id, or its host name and API port. */
    public String name() {
        return name;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private String openPayload(MessageRecord message) {
        NumberLine line = engine.line(message.number()).orElseThrow();
        return line.key().open(message.id(), message.sealedBody());
    }

    private String openOrigin(MessageRecord message) {
        if (message.sealedOrigin() == null) return null;
        NumberLine line = engine.line(message.number()).orElseThrow();
        return line.key().openOrigin(message.id(), message.sealedOrigin());
    }

    /**
     * The admin token's hash: from SWITCHBOARD_ADMIN_TOKEN when set; otherwise made on the first start, printed
     * once, and only its hash kept.
     */
    private static String adminTokenHash(NodeConfig config, Settings settings, PrintStream out) {
        String configured = config.secrets().adminToken();
        if (configured != null) {
            String hash = Tokens.hash(configured);
            settings.put("admin_token_hash", hash);
            return hash;
        }
        return settings.get("admin_token_hash").orElseGet(() -> {
            String token = Tokens.newToken("sba_");
            String hash = settings.putIfAbsent("admin_token_hash", Tokens.hash(token));
            if (hash.equals(Tokens.hash(token))) {
                out.println("Admin token (shown once; set SWITCHBOARD_ADMIN_TOKEN to choose your own): " + token);
            }
            return hash;
        });
    }

    @Override
    public void close() {
        closeQuietly(api);
        closeQuietly(liveHistory);
        closeQuietly(cluster);
        if (mediaSweeper != null) mediaSweeper.shutdownNow();
        closeQuietly(retention);
        closeQuietly(engine);
        closeQuietly(cloudLinks);
        closeQuietly(linkFetcher);
        closeQuietly(dispatcher);
        closeQuietly(writer);
        closeQuietly(ids); // before the database: it hands the id slot back there
        closeQuietly(database);
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) return;
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("stopping {}: {}", part.getClass().getSimpleName(), e.toString());
        }
    }
}
