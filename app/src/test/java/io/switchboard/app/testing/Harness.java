package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.testing.TestStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a user-level test needs, all real and on loopback: the simulated network over TCP, a node on one of
 * the three stores, a customer's server, and an HTTP client of the node's API.
 */
public final class Harness implements AutoCloseable {
    public final SimNetwork network;
    public final Receiver receiver;
    public final Node node;
    public final ApiClient api;
    public final String adminToken = Tokens.newToken("sba_");
    private final TestStores.TestStore store;
    private final ConfigLoader config;
    private final Path dataDir;

    public Harness(TestStores.Kind kind, Path tempDir, SimConfig network) throws Exception {
        this(kind, tempDir, network, Map.of());
    }

    /** {@code settings}: configuration keys ({@code webhooks.retry-window-s}, ...) set over the test defaults. */
    public Harness(TestStores.Kind kind, Path tempDir, SimConfig network, Map<String, Object> settings) throws Exception {
        this(kind, tempDir, network, settings, java.time.Clock.systemUTC());
    }

    /** A node on {@code clock} (a {@link MovableClock} moves days forward). */
    public Harness(TestStores.Kind kind, Path tempDir, SimConfig network, Map<String, Object> settings,
                   java.time.Clock clock) throws Exception {
        this.store = TestStores.open(kind, tempDir);
        this.dataDir = tempDir.resolve("data");
        this.network = SimNetwork.start(network.withPort(0).withStatsPort(0));
        this.receiver = new Receiver();
        this.config = new ConfigLoader().set("http.host", "127.0.0.1").set("http.port", 0)
                .set("network", "127.0.0.1:" + this.network.port()).set("data", tempDir.resolve("data"))
                .set("admin-token", adminToken).set("webhooks.event-batch-delay-ms", 20)
                .set("allow-private-urls", true) // the receivers run on loopback
                // Tests poll the API hard, some with made-up tokens; AbuseLimitsTest sets its own limits.
                .set("api.rate-per-token", 0).set("api.rate-per-project", 0).set("api.unknown-tokens-per-second", 0);
        if (kind != TestStores.Kind.EMBEDDED) config.set("db.url", store.url()).set("db.user", store.user());
        settings.forEach(config::set);
        try {
            this.node = Node.start(config.load(), new PrintStream(java.io.OutputStream.nullOutputStream()), clock);
        } catch (RuntimeException refused) { // what started so far must not outlive the test
            receiver.close();
            this.network.close();
            store.close();
            throw refused;
        }
        this.api = new ApiClient("http://127.0.0.1:" + node.httpPort());
    }

    /**
     * A second node on the same store, network, data folder (master key) and admin token, on an API port of its own;
     * the caller closes it. Useful on PostgreSQL or MariaDB, which two nodes can share.
     */
    public Node anotherNode() {
        return anotherNode(Map.of());
    }

    /** Another node, with {@code settings} set over the configuration (for it and every node started after it). */
    public Node anotherNode(Map<String, Object> settings) {
        settings.forEach(config::set);
        return Node.start(config.load(), new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** The options a command-line tool needs to reach this harness's store: its data folder, or its database. */
    public java.util.List<String> storeOptions() {
        return store.kind() == TestStores.Kind.EMBEDDED ? java.util.List.of("--data", dataDir.toString())
                : java.util.List.of("--data", dataDir.toString(), "--db-url", store.url(), "--db-user", store.user());
    }

    /** A project whose Webhook is the receiver's /webhook and Event Webhook its /events; answers its token. */
    public String project(String name) throws Exception {
        return createProject(name, Map.of()).get("token").asText();
    }

    /** The created project as the API answered it (with its token and webhook secret); {@code extra} adds fields. */
    public JsonNode createProject(String name, Map<String, Object> extra) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name,
                "webhook_url", receiver.url("/webhook"), "event_webhook_url", receiver.url("/events")));
        body.putAll(extra);
        return api.expect(201, "/v1/projects", adminToken, body);
    }

    public void number(String token, String number, int tps) throws Exception {
        api.expect(201, "/v1/numbers", token, Map.of("number", number, "tps", tps, "shards", 1));
    }

    public static Map<String, Object> text(String from, String to, String body) {
        return Map.of("from", from, "to", to, "type", "text", "text", Map.of("body", body));
    }

    /** The node's store, for another node (in a process of its own) to share. */
    public TestStores.TestStore store() {
        return store;
    }

    /** The embedded store's data folder. */
    public Path dataDir() {
        return dataDir;
    }

    /** A JDBC connection of its own to the node's store, for a test that checks what the node says against it. */
    public java.sql.Connection storeConnection() throws java.sql.SQLException {
        return store.kind() == TestStores.Kind.EMBEDDED
                ? java.sql.DriverManager.getConnection(io.switchboard.store.db.Database.embeddedUrl(dataDir))
                : java.sql.DriverManager.getConnection(store.url(), store.user(), store.password());
    }

    @Override
    public void close() throws Exception {
        node.close();
        receiver.close();
        network.close();
        store.close();
    }
}
