package io.switchboard.app.bench;

import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code scale}: three node processes on a scratch store of {@code --db}. For 1, 2, 4 and 8 shards in turn, a new
 * number with that many shards and a budget of 1 a second takes {@value #MESSAGES} messages through all three
 * nodes' APIs; then its budget is lifted and the time until the network has them all gives the drain rate: how
 * sending grows as a number's shards spread over more nodes, with the accepting out of the way. One step at 8 shards
 * runs first and is not counted: it warms every node's JIT, which the first counted step (1 shard, the baseline of
 * every ratio) would otherwise pay for alone.
 */
final class ScaleScenario implements Scenario {
    private static final int NODES = 3;
    private static final int MESSAGES = 20_000;
    private static final int BULK = 100;
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final List<Integer> SHARD_COUNTS = List.of(1, 2, 4, 8);
    private static final int WARM_UP_SHARDS = 8;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        report.setting("nodes", NODES);
        report.setting("messages_per_step", MESSAGES);
        report.setting("clients", options.clients());
        try (SimNetwork network = SimNetwork.start(SimConfig.defaults().withSeed(options.seed()).withPort(0)
                     .withStatsPort(0).withAckMillis(1).withReadProbability(0).withReplyProbability(0)
                     .withQueueLimit(1_000_000));
             LocalCluster cluster = LocalCluster.start(options.store(), NODES, network.port())) {
            report.setting("node_logs", cluster.logs.toString());
            String token = cluster.project("scale");
            report.setting("warm_up", MESSAGES + " messages at " + WARM_UP_SHARDS + " shards, not counted");
            drainPerSecond(cluster, network, token, Measure.number(SHARD_COUNTS.size()), WARM_UP_SHARDS, options.clients());
            double first = 0;
            for (int i = 0; i < SHARD_COUNTS.size(); i++) {
                int shards = SHARD_COUNTS.get(i);
                double perSecond = drainPerSecond(cluster, network, token, Measure.number(i), shards, options.clients());
                if (i == 0) first = perSecond;
                report.add("shards_" + shards + "_drain_per_s", perSecond, "msg/s");
                report.add("shards_" + shards + "_vs_1", perSecond / first, "x");
            }
        }
    }

    /** One step: a new number on {@code shards} shards filled behind a budget of 1, then lifted; its drain rate. */
    private static double drainPerSecond(LocalCluster cluster, SimNetwork network, String token, String number, int shards,
                                         int clients) throws Exception {
        cluster.number(token, number, 1, shards);
        FailoverScenario.awaitAllOwned(cluster.nodes, cluster.adminToken, number, shards);
        fill(cluster, token, number, clients);
        long started = System.nanoTime();
        var lifted = cluster.nodes.getFirst().api().patch("/v1/numbers/" + number, token, Map.of("tps", UNBOUNDED_TPS));
        if (lifted.status() != 200) throw new IllegalStateException("lifting the budget: " + lifted.body());
        if (!Measure.awaitUntil(() -> reached(network, number) >= MESSAGES, DRAIN_LIMIT)) {
            throw new IllegalStateException(number + " did not drain within " + DRAIN_LIMIT);
        }
        return Measure.perSecond(MESSAGES, System.nanoTime() - started);
    }

    /** Queues the step's messages through every node's API, in bulks from {@code clients} keep-alive clients. */
    private static void fill(LocalCluster cluster, String token, String number, int clients) throws Exception {
        AtomicLong next = new AtomicLong();
        Measure.runClients(clients, "scale", client -> {
            NodeProcess node = cluster.nodes.get(client % cluster.nodes.size());
            long batch;
            while ((batch = next.getAndIncrement()) < MESSAGES / BULK) {
                byte[] request = KeepAliveClient.post(node.httpPort(), "/v1/messages", token, body(number, batch));
                try (KeepAliveClient http = new KeepAliveClient(node.httpPort(), request)) {
                    int status = http.send();
                    if (status != 202) throw new IllegalStateException("a bulk send was answered " + status);
                }
            }
        });
    }

    /** First-time sends the network took for the number. */
    private static long reached(SimNetwork network, String number) {
        Map<String, Long> counts = network.stats().numbers().get(number);
        return counts == null ? 0 : counts.getOrDefault("received", 0L) - counts.getOrDefault("duplicates", 0L);
    }

    private static String body(String number, long batch) {
        StringBuilder body = new StringBuilder(BULK * 120 + 20).append("{\"messages\":[");
        for (int i = 0; i < BULK; i++) {
            long n = batch * BULK + i;
            if (i > 0) body.append(',');
            body.append("{\"from\":\"").append(number).append("\",\"to\":\"").append(Measure.user(n))
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"Order ").append(n).append(" has shipped\"}}");
        }
        return body.append("]}").toString();
    }
}
