package io.switchboard.app.bench;

import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code owed-webhooks}: one tenant's Webhook is down while {@code owed} messages come in for it (a day of traffic,
 * 5,000,000 by default), in a node process with a small heap ({@code -Xmx512m} by default); another tenant's users
 * write steadily throughout. Reports how long taking the owed messages took, the steady tenant's network -> Webhook
 * latency before, with the backlog owed, and while it drains, the node's live heap with the backlog, and, once the
 * endpoint is back, how long until everything owed was delivered, what was lost (must be 0) and the duplicates.
 *
 * @param nodeHeap      the node's -Xmx, such as 512m
 * @param callsInMemory the node's {@code webhooks.calls-in-memory}; null: its default
 * @param window        how long the steady tenant's latency is measured, before and with the backlog
 */
public record OwedWebhooksDrill(long owed, String nodeHeap, Integer callsInMemory, Duration window, long seed) {
    private static final String DOWN_NUMBER = "+919800000001";
    private static final String STEADY_NUMBER = "+919800000002";
    private static final int DOWN_SHARDS = 4;
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final double STEADY_RATE = 20;
    /** The longest the flood, or the drain, may take: a minute, and a millisecond a message. */
    private static final Duration LIMIT_BASE = Duration.ofMinutes(1);

    public void run(Report report) throws Exception {
        report.setting("owed", owed);
        report.setting("node_heap", nodeHeap);
        report.setting("calls_in_memory", callsInMemory == null ? "default" : callsInMemory);
        Path folder = Files.createTempDirectory("switchboard-owed-webhooks");
        Map<String, String> settings = new HashMap<>();
        if (callsInMemory != null) settings.put("SWITCHBOARD_WEBHOOKS_CALLS_IN_MEMORY", callsInMemory.toString());
        SimConfig users = SimConfig.defaults().withSeed(seed).withPort(0).withStatsPort(0).withUsers(100_000)
                .withReadProbability(0).withReplyProbability(0).withQueueLimit(1_000_000);
        try (SimNetwork network = SimNetwork.start(users);
             CountingReceiver downTenant = new CountingReceiver();
             CountingReceiver steadyTenant = new CountingReceiver();
             DrillNode node = new DrillNode(folder.resolve("node.log"), folder.resolve("data"), network.port(), settings,
                     List.of("-Xmx" + nodeHeap)).start()) {
            String down = node.project("down tenant", downTenant.webhookUrl(), null);
            node.number(down, DOWN_NUMBER, UNBOUNDED_TPS, DOWN_SHARDS);
            String steady = node.project("steady tenant", steadyTenant.webhookUrl(), null);
            node.number(steady, STEADY_NUMBER, UNBOUNDED_TPS, 1);
            Inbound inbound = new Inbound(network);
            try (var steadyUsers = inbound.steady(STEADY_NUMBER, STEADY_RATE)) {
                Histogram before = latencyOver(steadyTenant, window);

                downTenant.down();
                long flood = System.nanoTime();
                inbound.flood(DOWN_NUMBER, owed, limit());
                SendsThroughFault.await("every owed message taken by the node", () -> inbound.allTaken(DOWN_NUMBER),
                        node, limit());
                long floodNanos = System.nanoTime() - flood;
                Histogram withBacklog = latencyOver(steadyTenant, window);
                ProcessGauges gauges = new ProcessGauges(node.process().pid());
                long heapWithBacklog = gauges.liveHeapBytes();
                long residentWithBacklog = gauges.residentBytes();

                downTenant.up();
                long back = System.nanoTime();
                steadyTenant.networkToWebhookMicros.getIntervalHistogram(); // from here: during the drain
                SendsThroughFault.await("everything owed delivered", () -> downTenant.messageIds.size() >= owed, node,
                        limit());
                long drainNanos = System.nanoTime() - back;
                Histogram duringDrain = steadyTenant.networkToWebhookMicros.getIntervalHistogram();

                report.add("owed", owed, "calls");
                report.add("flood_s", floodNanos / 1e9, "s");
                report.add("flood_per_s", Measure.perSecond(owed, floodNanos), "msg/s");
                report.add("node_heap_live_with_backlog_mb", heapWithBacklog / 1048576.0, "MiB");
                report.add("node_resident_with_backlog_mb", residentWithBacklog / 1048576.0, "MiB");
                report.add("drain_s", drainNanos / 1e9, "s");
                report.add("drain_per_s", Measure.perSecond(downTenant.messageIds.size(), drainNanos), "calls/s");
                report.add("delivered", downTenant.messageIds.size(), "calls");
                report.add("lost", Math.max(0, owed - downTenant.messageIds.size()), "calls");
                report.add("duplicates", downTenant.duplicateMessages.sum(), "calls");
                report.add("node_alive", node.process().alive() ? 1 : 0, "bool");
                Measure.percentilesMillis(report, "steady_before", before, false);
                Measure.percentilesMillis(report, "steady_with_backlog", withBacklog, false);
                Measure.percentilesMillis(report, "steady_during_drain", duringDrain, false);
            }
        } finally {
            Folders.delete(folder);
        }
    }

    private Duration limit() {
        return LIMIT_BASE.plusMillis(owed);
    }

    /** The steady tenant's network -> Webhook latency over the next {@code window}, in microseconds. */
    private static Histogram latencyOver(CountingReceiver tenant, Duration window) throws InterruptedException {
        tenant.networkToWebhookMicros.getIntervalHistogram();
        Thread.sleep(window.toMillis());
        return tenant.networkToWebhookMicros.getIntervalHistogram();
    }
}
