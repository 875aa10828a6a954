package io.switchboard.app.bench;

import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.db.ScratchStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of node processes on this machine for the benchmarks: a scratch store made on the PostgreSQL or
 * MariaDB server of {@code --db} (dropped at the end), one admin token and master key for all, each node's log and
 * data folder under a temporary folder.
 */
final class LocalCluster implements AutoCloseable {
    final String adminToken = Tokens.newToken("sba_");
    final List<NodeProcess> nodes = new ArrayList<>();
    final Path logs;
    private final ScratchStores.Scratch store;

    private LocalCluster(ScratchStores.Scratch store, Path logs) {
        this.store = store;
        this.logs = logs;
    }

    static LocalCluster start(Rig.Store server, int nodes, int networkPort) throws Exception {
        if (server.url() == null) {
            throw new IllegalArgumentException("this scenario needs a shared store: --db jdbc:postgresql://HOST/DB or "
                    + "jdbc:mariadb://HOST/DB (the embedded store is single-node)");
        }
        LocalCluster cluster = new LocalCluster(ScratchStores.create(server.url(), server.user(), server.password()),
                Files.createTempDirectory("switchboard-cluster"));
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Map<String, String> environment = new HashMap<>(Map.of("SWITCHBOARD_ADMIN_TOKEN", cluster.adminToken,
                    "SWITCHBOARD_MASTER_KEY", Base64.getEncoder().encodeToString(key),
                    "SWITCHBOARD_DB_URL", cluster.store.url()));
            if (cluster.store.user() != null) environment.put("SWITCHBOARD_DB_USER", cluster.store.user());
            if (cluster.store.password() != null) environment.put("SWITCHBOARD_DB_PASSWORD", cluster.store.password());
            for (int i = 0; i < nodes; i++) {
                cluster.nodes.add(new NodeProcess(cluster.logs.resolve("node-" + i + ".log"), environment, "--cluster",
                        "--network", "127.0.0.1:" + networkPort, "--data", cluster.logs.resolve("data-" + i).toString())
                        .start());
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** A project made through the first node; answers its token. */
    String project(String name) throws Exception {
        return nodes.getFirst().api().expect(201, "/v1/projects", adminToken, Map.of("name", name)).get("token").asText();
    }

    void number(String token, String number, int tps, int shards) throws Exception {
        nodes.getFirst().api().expect(201, "/v1/numbers", token, Map.of("number", number, "tps", tps, "shards", shards));
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : nodes) node.close();
        store.close();
    }
}
