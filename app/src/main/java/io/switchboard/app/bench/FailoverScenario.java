package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code failover}: three node processes share a scratch store on the PostgreSQL or MariaDB server given with
 * {@code --db} ({@link LocalCluster}), one number is spread over {@code --shards} shards, and sends run through every node while the owner
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
        report.setting("nodes", NODES);
        report.setting("shards", options.shards());
        report.setting("kills", options.kills());
        try (SimNetwork network = SimNetwork.start(SimConfig.defaults().withSeed(options.seed()).withPort(0)
                     .withStatsPort(0).withReadProbability(0).withReplyProbability(0));
             LocalCluster cluster = LocalCluster.start(options.store(), NODES, network.port())) {
            report.setting("node_logs", cluster.logs.toString());
            List<NodeProcess> nodes = cluster.nodes;
            String adminToken = cluster.adminToken;
            String token = cluster.project("failover");
            cluster.number(token, NUMBER, 1_000, options.shards());
            awaitAllOwned(nodes, adminToken, NUMBER, options.shards());

            ClusterLoad load = new ClusterLoad(nodes, token, NUMBER, network).start();
            Histogram failover = new Histogram(3);
            for (int kill = 0; kill < options.kills(); kill++) {
                Thread.sleep(SETTLE.toMillis());
                int shard = kill % options.shards();
                NodeProcess watcher = awaitAllOwned(nodes, adminToken, NUMBER, options.shards());
                String owner = ClusterLoad.owners(watcher.api(), adminToken, NUMBER).get(shard);
                NodeProcess victim = ClusterLoad.process(nodes, watcher.api(), adminToken, owner);
                NodeProcess survivor = nodes.stream().filter(n -> n != victim && n.alive()).findFirst().orElseThrow();
                long killed = System.nanoTime();
                victim.kill9();
                boolean served = Measure.awaitUntil(() -> {
                    String now = ClusterLoad.owners(survivor.api(), adminToken, NUMBER).get(shard);
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
        }
    }

    /** Waits until every shard of the number has a live owner; answers a live node to ask. */
    static NodeProcess awaitAllOwned(List<NodeProcess> nodes, String adminToken, String number, int shards)
            throws Exception {
        NodeProcess asked = nodes.stream().filter(NodeProcess::alive).findFirst().orElseThrow();
        boolean owned = Measure.awaitUntil(() -> {
            Map<Integer, String> owners = ClusterLoad.owners(asked.api(), adminToken, number);
            return owners.size() == shards && !owners.containsValue(null);
        }, Duration.ofSeconds(60));
        if (!owned) throw new IllegalStateException("not every shard found an owner within 60 s");
        return asked;
    }
}
