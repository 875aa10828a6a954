package io.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.api.Api;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.dispatcher.DispatcherSettings;
import io.switchboard.dispatcher.signing.SigningSecrets;
import io.switchboard.dispatcher.urls.OutboundUrls;
import io.switchboard.engine.Engine;
import io.switchboard.engine.EngineSettings;
import io.switchboard.engine.NumberLine;
import io.switchboard.app.cluster.ClusterMember;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.cluster.Leases;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Messages;
import io.switchboard.store.Numbers;
import io.switchboard.store.Project;
import io.switchboard.store.Projects;
import io.switchboard.store.Settings;
import io.switchboard.store.Usage;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
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

    private final Database database;
    private final WriteBatcher writer;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final Api api;
    private final Messages messages;
    private final LiveHistory liveHistory;
    private volatile String name = "starting";
    private final ClusterMember cluster;
    /** The numbers whose shard leases this node made sure exist. */
    private final Set<String> leased = ConcurrentHashMap.newKeySet();

    private Node(NodeConfig config, PrintStream out) {
        Clock clock = Clock.systemUTC();
        ObjectMapper json = new ObjectMapper();
        NodeConfig.Store store = config.store();
        this.database = store.embedded() ? Database.embedded(store.data())
                : Database.open(store.dbUrl(), store.dbUser(), store.dbPassword());
        try {
            Settings settings = new Settings(database);
            Vault vault = openVault(config, settings);
            String adminTokenHash = adminTokenHash(config, settings, out);
            this.writer = new WriteBatcher(database, WRITES_PER_COMMIT);
            Projects projects = new Projects(database);
            Numbers numbers = new Numbers(database);
            this.messages = new Messages(database);

            NodeConfig.Webhooks hooks = config.webhooks();
            DispatcherSettings dispatch = new DispatcherSettings(hooks.concurrencyPerEndpoint(), hooks.eventBatchSize(),
                    hooks.eventBatchDelay(), hooks.firstRetry(), hooks.maxRetryDelay(), hooks.retryWindow(),
                    hooks.timeout(), hooks.circuitFailures(), hooks.maxProbeInterval());
            OutboundUrls urls = new OutboundUrls(hooks.allowPrivateUrls());
            WebhookLatency latency = new WebhookLatency();
            SigningSecrets secrets = new SigningSecrets(projects, vault, clock::millis);
            this.dispatcher = new Dispatcher(dispatch, new Dispatcher.Parts(writer,
                    (project, replies, rejected, alsoCommit) -> engine().instantReplies(project, replies, rejected, alsoCommit),
                    id -> engine().project(id).orElse(null), this::openPayload, secrets::signer,
                    urls.resolver(Executors.newVirtualThreadPerTaskExecutor()), json, latency));
            NodeConfig.Cluster clustering = config.cluster();
            this.engine = new Engine(EngineSettings.of(config.network().host(), config.network().port())
                    .clustered(clustering.enabled()), new Engine.Parts(vault, messages, writer, dispatcher, clock));

            Leases leases = clustering.enabled() ? new Leases(database) : null;
            // The store's message counts before this node changes them; the census adds what it does from now on.
            MessageCensus census = new MessageCensus(engine, messages.reached(Engine.REJECTED_TYPE));
            if (leases == null) {
                // Read what is owed before the shards connect, so nothing they store from now on is handed over twice.
                var pendingHooks = messages.pendingHooks();
                var pendingEvents = messages.pendingEvents();
                openNumbers(projects, numbers, null);
                dispatcher.redeliver(pendingHooks, pendingEvents, false);
                this.cluster = null;
            } else {
                // In a cluster, what is owed for a shard is handed over by the node that takes the shard.
                openNumbers(projects, numbers, leases);
                engine.openFromStore(number -> numbers.find(number).map(found -> {
                    if (leased.add(found.number())) leases.ensure(found.number(), found.shards());
                    projects.byId(found.projectId()).ifPresent(project -> engine.open(found, project));
                    return true;
                }).orElse(false));
                this.cluster = new ClusterMember(new ClusterMember.Settings(clustering.nodeId(), clustering.address(),
                        clustering.heartbeat(), clustering.lease(), clustering.handoffPoll()), leases, engine,
                        () -> openNumbers(projects, numbers, leases),
                        (number, shard) -> dispatcher.redeliver(messages.pendingHooks(number, shard),
                                messages.pendingEvents(number, shard), false)).start();
            }

            DeadLetters deadLetters = new DeadLetters(database);
            ShardMap shardMap = leases == null ? new LocalShardMap(engine, () -> name)
                    : new LeaseShardMap(leases, engine, clustering.nodeId());
            NodeMetrics metrics = new NodeMetrics(new NodeMetrics.Sources(engine, dispatcher, census, shardMap, latency,
                    deadLetters::countByProject));
            this.liveHistory = new LiveHistory(new LiveHistory.Parts(engine, metrics, latency, census, shardMap,
                    dispatcher::backlog), HISTORY).start();
            NodeConfig.Observability shown = config.observability();
            Api.Observability observability = new Api.Observability(metrics, liveHistory,
                    new DashboardSessions(clock, shown.dashboardSession()),
                    new Readiness(database, engine, READY_STORE_TIMEOUT), shown.metricsOpen());
            NodeConfig.Api limits = config.api();
            this.api = new Api(new Api.Parts(engine, projects, numbers, messages, vault, json, clock, adminTokenHash,
                    new Api.Webhooks(dispatcher, deadLetters, secrets, urls),
                    new Api.Cluster(clustering.nodeId(), clustering.address(), leases, clustering.lease().toMillis()),
                    new Api.Management(new ApiTokens(database), new Usage(database),
                            new Api.Limits(limits.ratePerToken(), limits.burstPerToken(), limits.maxBodyBytes())),
                    observability))
                    .start(config.http().host(), config.http().port());
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

    public static Node start(NodeConfig config, PrintStream out) {
        return new Node(config, out);
    }

    public Engine engine() {
        return engine;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Messages in the store, both ways, for every project. */
    public long messageCount() {
        return messages.count();
    }

    public int httpPort() {
        return api.port();
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

    /** The master key from configuration, else the key file in the data folder; checked against the store. */
    private static Vault openVault(NodeConfig config, Settings settings) {
        Vault vault = config.secrets().masterKey() != null ? Vault.ofBase64(config.secrets().masterKey())
                : Vault.fromKeyFile(config.store().data().resolve("master.key"));
        String check = settings.putIfAbsent("master_key_check", vault.keyCheck());
        if (!vault.matches(check)) {
            throw new IllegalStateException("master key: this store was encrypted with another master key; "
                    + "give the one it was made with (SWITCHBOARD_MASTER_KEY or DATA/master.key)");
        }
        return vault;
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
        closeQuietly(engine);
        closeQuietly(dispatcher);
        closeQuietly(writer);
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
