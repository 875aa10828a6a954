package io.switchboard.app.config;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Schema;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node's whole configuration, loaded by {@link ConfigLoader} from defaults, a file, environment variables and
 * the command line, in that order of precedence (the last wins).
 */
public record NodeConfig(Http http, Network network, Store store, Secrets secrets, Webhooks webhooks, Cluster cluster,
                         Api api, Media media, Observability observability, Upstream upstream, Retention retention) {

    /**
     * Where the API listens: plain HTTP on {@code port}, and HTTPS on {@code httpsPort} (-1: none) with the
     * certificate and key of a PKCS12 {@code keystore}; {@code behindProxy}: a reverse proxy in front sets the
     * {@code Forwarded} / {@code X-Forwarded-*} headers, which are then believed (the scheme the browser used, say).
     * The password is never shown by {@link #toString()}.
     */
    public record Http(String host, int port, int httpsPort, Path keystore, String keystorePassword, boolean behindProxy) {
        @Override
        public String toString() {
            return "Http[host=" + host + ", port=" + port + ", httpsPort=" + httpsPort + ", keystore=" + keystore
                    + ", keystorePassword=" + (keystorePassword == null ? "none" : "***") + ", behindProxy=" + behindProxy + "]";
        }
    }

    /**
     * Where the (simulated) WhatsApp network is, and how often a contact seen again is written again
     * ({@code contactRefresh}: its last sighting is kept to that precision, so a chatty user costs no write a message).
     */
    public record Network(String host, int port, Duration contactRefresh) {}

    /**
     * The data folder (embedded store, key file) and, for PostgreSQL or MariaDB/MySQL, the JDBC settings; how many
     * writes may wait for the store before new messages are refused with 503; whether the node migrates the schema at
     * start (else it only checks it, and {@code switchboard migrate} is a step of its own).
     */
    public record Store(Path data, String dbUrl, String dbUser, String dbPassword, int maxQueuedWrites,
                        boolean migrateOnStart) {
        public boolean embedded() {
            return dbUrl == null || dbUrl.isBlank();
        }

        /** The embedded store in the data folder, or the configured database, its schema as a node starts it. */
        public Database open() {
            return open(migrateOnStart ? Schema.OnOpen.MIGRATE : Schema.OnOpen.CHECK);
        }

        /** The same, its schema migrated, checked or left as it is. */
        public Database open(Schema.OnOpen onOpen) {
            return embedded() ? Database.embedded(data, onOpen) : Database.open(dbUrl, dbUser, dbPassword, onOpen);
        }
    }

    /**
     * Never logged: {@link #toString()} hides them. A null master key means the key files in the data folder;
     * {@code previousMasterKeys} (base64, during a rotation) only open what they sealed.
     */
    public record Secrets(String adminToken, String masterKey, java.util.List<String> previousMasterKeys) {
        @Override
        public String toString() {
            return "Secrets[adminToken=" + (adminToken == null ? "generated" : "***") + ", masterKey="
                    + (masterKey == null ? "key file" : "***") + ", previousMasterKeys=" + previousMasterKeys.size() + "]";
        }
    }

    /**
     * Whether this node shares its (PostgreSQL or MariaDB) store with other nodes, as what ({@code nodeId}, made at
     * start when not set) and where its API is for the others ({@code address}); how often it heartbeats, how long a
     * lease lasts (failover takes about that), and how often it looks for messages other nodes handed it.
     */
    public record Cluster(boolean enabled, String nodeId, String address, Duration heartbeat, Duration lease,
                          Duration handoffPoll) {}

    /**
     * Pace, batching and retries of Webhook and Event Webhook calls, how many owed calls of each kind a project keeps
     * in memory (the rest wait in the store), and whether they may go to private and loopback addresses (off in
     * production: a project's URL must not reach the gateway's own network).
     */
    public record Webhooks(int concurrencyPerEndpoint, int eventBatchSize, Duration eventBatchDelay,
                           Duration firstRetry, Duration maxRetryDelay, Duration retryWindow, Duration timeout,
                           int circuitFailures, Duration maxProbeInterval, int callsInMemory, boolean allowPrivateUrls) {}

    /**
     * Abuse limits of the API: requests a second per project and per project token (0: none) with bursts of up to
     * {@code burstPerProject} and {@code burstPerToken}; store reads a second for tokens the node has not seen (0:
     * none); the largest request body in bytes; the most connections the API keeps open, and the most requests it
     * handles at once; how many of a project's messages may wait in the queues a node runs before its sends are
     * refused (0: none).
     */
    public record Api(int ratePerProject, int burstPerProject, int ratePerToken, int burstPerToken,
                      int unknownTokensPerSecond, long maxBodyBytes, int maxConnections, int maxRequestsInFlight,
                      int maxQueuedPerProject) {}

    /**
     * How long fetching a media message's link may take in all, and how many of the node's fetches one project may
     * have under way at once; how often expired media are swept; how long the signed URL of an incoming media file
     * holds; the node's address as customers' servers reach it (null: the API's own host and port); and the most
     * bytes of uploaded media a project may keep stored (0: no limit).
     */
    public record Media(Duration fetchTimeout, int fetchesPerProject, Duration sweepEvery, Duration urlValid,
                        String publicUrl, long quotaBytes) {}

    /**
     * How the node shows itself: whether {@code /metrics} is open to anyone (else it takes the admin token), log
     * lines as text or JSON, and how long a dashboard login lasts.
     */
    public record Observability(boolean metricsOpen, LogFormat logFormat, Duration dashboardSession) {}

    /**
     * Calls to Meta's Cloud API for numbers connected to it: how long one may take (then it is sent again), how many
     * are under way at once per shard, and the backoff of one that failed (5xx, timeout), doubling from the first.
     */
    public record Upstream(Duration timeout, int concurrency, Duration firstRetry, Duration maxRetryDelay) {}

    /**
     * How many days a project's messages are kept unless it sets its own {@code retention_days}, and how often the
     * sweeper that deletes older ones (and deleted numbers' and projects' data) runs.
     */
    public record Retention(int days, Duration sweepEvery) {}

    /** One line per event: plain text, or a JSON object (logstash's layout). */
    public enum LogFormat { TEXT, JSON }
}
