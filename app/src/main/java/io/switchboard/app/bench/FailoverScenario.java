package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.db.ScratchStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code failover}: three node processes share a scratch store on the PostgreSQL or MariaDB server given with
 * {@code --db}, one number is spread over {@code --shards} shards, and sends run through every node while the owner
 * of a shard is killed with SIGKILL {@code --kills} times (brought back after each). Reports the time from each
 * kill until another node serves the shard, what was acknowledged but never reached the network (must be 0), and
 * the duplicates the network saw (messages in flight at a kill are sent again).
 */
final class FailoverScenario implements Scenario {
    private static final String NUMBER = "+919800000001";
    private static final int NODES = 3;
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        if (options.store().url() == null) {
            throw new IllegalArgumentException("failover needs a shared store: --db jdbc:postgresql://HOST/DB or "
                    + "jdbc:mariadb://HOST/DB (the embedded store is single-node)");
        }
        String adminToken = Tokens.newToken("sba_");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path logs = Files.createTempDirectory("switchboard-failover");
        report.setting("nodes", NODES);
        report.setting("shards", options.shards());
        report.setting("kills", options.kills());
        report.setting("node_logs", logs.toString());
        List<NodeProcess> nodes = new ArrayList<>();
        try (ScratchStores.Scratch store = ScratchStores.create(options.store().url(), options.store().user(),
                options.store().password());
             SimNetwork network = SimNetwork.start(SimConfig.defaults().withSeed(options.seed()).withPort(0)
                     .withStatsPort(0).withReadProbability(0).withReplyProbability(0))) {
            Map<String, String> environment = new HashMap<>(Map.of("SWITCHBOARD_ADMIN_TOKEN", adminToken,
                    "SWITCHBOARD_MASTER_KEY", Base64.getEncoder().encodeToString(key), "SWITCHBOARD_DB_URL", store.url()));
            if (store.user() != null) environment.put("SWITCHBOARD_DB_USER", store.user());
            if (store.password() != null) environment.put("SWITCHBOARD_DB_PASSWORD", store.password());
            for (int i = 0; i < NODES; i++) {
                nodes.add(new NodeProcess(logs.resolve("node-" + i + ".log"), environment, "--cluster",
                        "--network", "127.0.0.1:" + network.port(), "--data", logs.resolve("data-" + i).toString()).start());
            }
            var api = nodes.getFirst().api;
            String token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "failover")).get("token").asText();
            api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 1_000, "shards", options.shards()));
            awaitAllOwned(nodes, adminToken, options.shards());

            ClusterLoad load = new ClusterLoad(nodes, token, NUMBER, network).start();
            Histogram failover = new Histogram(3);
            for (int kill = 0; kill < options.kills(); kill++) {
                Thread.sleep(SETTLE.toMillis());
                int shard = kill % options.shards();
                NodeProcess watcher = awaitAllOwned(nodes, adminToken, options.shards());
                String owner = ClusterLoad.owners(watcher.api, adminToken).get(shard);
                NodeProcess victim = ClusterLoad.process(nodes, watcher.api, adminToken, owner);
                NodeProcess survivor = nodes.stream().filter(n -> n != victim && n.alive()).findFirst().orElseThrow();
                long killed = System.nanoTime();
                victim.kill9();
                boolean served = Measure.awaitUntil(() -> {
                    String now = ClusterLoad.owners(survivor.api, adminToken).get(shard);
                    return now != null && !now.equals(owner);
                }, Duration.ofSeconds(60));
                if (!served) throw new IllegalStateException("shard " + shard + " was not served again within 60 s");
                failover.recordValue((System.nanoTime() - killed) / 1_000_000);
                victim.start();
            }
            load.stop();
            Measure.awaitUntil(() -> load.missing().isEmpty(), Duration.ofSeconds(60));

            report.add("failover_p50_s", failover.getValueAtPercentile(50) / 1e3, "s");
            report.add("failover_p99_s", failover.getValueAtPercentile(99) / 1e3, "s");
            report.add("failover_max_s", failover.getMaxValue() / 1e3, "s");
            report.add("acknowledged", load.acknowledged(), "msg");
            report.add("lost", load.missing().size(), "msg");
            report.add("duplicates", network.stats().get(Counter.DUPLICATES), "msg");
        } finally {
            for (NodeProcess node : nodes) node.close();
        }
    }

    /** Waits until every shard has a live owner; answers a live node to ask. */
    private static NodeProcess awaitAllOwned(List<NodeProcess> nodes, String adminToken, int shards) throws Exception {
        NodeProcess asked = nodes.stream().filter(NodeProcess::alive).findFirst().orElseThrow();
        boolean owned = Measure.awaitUntil(() -> {
            Map<Integer, String> owners = ClusterLoad.owners(asked.api, adminToken);
            return owners.size() == shards && !owners.containsValue(null);
        }, Duration.ofSeconds(60));
        if (!owned) throw new IllegalStateException("not every shard found an owner within 60 s");
        return asked;
    }
}
