package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * What a benchmark scenario runs against, all in this process and on loopback: the simulated network, a node on the
 * embedded store (or the database of {@code --db}), and a counting customer's server.
 */
final class Rig implements AutoCloseable {
    /** Replaced by {@link #restartNetwork}; read it afresh after one. */
    volatile SimNetwork network;
    private final SimConfig simulation;
    final Node node;
    final CountingReceiver receiver;
    final ApiClient api;
    private final Path data;
    private final String adminToken = Tokens.newToken("sba_");

    /** The database to use: null for the embedded store. */
    record Store(String url, String user, String password) {}

    Rig(Store store, SimConfig simulation) throws IOException {
        this.data = Files.createTempDirectory("switchboard-bench");
        this.simulation = simulation;
        this.network = SimNetwork.start(simulation.withPort(0).withStatsPort(0));
        this.receiver = new CountingReceiver();
        ConfigLoader config = new ConfigLoader().set("http.host", "127.0.0.1").set("http.port", 0)
                .set("network", "127.0.0.1:" + network.port()).set("data", data).set("admin-token", adminToken)
                .set("webhooks.concurrency", 64).set("allow-private-urls", true)
                .set("api.rate-per-token", 0).set("api.rate-per-project", 0) // the benches measure the node, not its abuse limits
                .set("api.max-queued-per-project", 0);
        if (store.url() != null) config.set("db.url", store.url()).set("db.user", store.user()).set("db.password", store.password());
        this.node = Node.start(config.load(), new PrintStream(OutputStream.nullOutputStream()));
        this.api = new ApiClient("http://127.0.0.1:" + node.httpPort());
    }

    /** Takes the network away: the node's links drop and reconnect on their own once it is back. */
    void stopNetwork() {
        network.close();
    }

    /** A fresh network on the same port (its counters start from zero). */
    void restartNetwork() throws IOException {
        network = SimNetwork.start(simulation.withPort(network.port()).withStatsPort(0));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + node.httpPort();
    }

    /** A project that sends both webhooks to the counting receiver; answers its token. */
    String project() throws IOException, InterruptedException {
        JsonNode created = api.expect(201, "/v1/projects", adminToken, Map.of("name", "bench",
                "webhook_url", receiver.webhookUrl(), "event_webhook_url", receiver.eventWebhookUrl()));
        return created.get("token").asText();
    }

    void number(String token, String number, int tps) throws IOException, InterruptedException {
        api.expect(201, "/v1/numbers", token, Map.of("number", number, "tps", tps, "shards", 1));
    }

    /** Bytes the store's files take in the data folder (the embedded store only). */
    long storeBytes() throws IOException {
        try (var files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("switchboard.db"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Override
    public void close() throws IOException {
        node.close();
        receiver.close();
        network.close();
        try (var files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
