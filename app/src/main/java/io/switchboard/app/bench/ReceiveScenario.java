package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import java.time.Duration;

/**
 * {@code receive}: users write to {@code --numbers} numbers at {@code --rate} messages a second in all; the node takes
 * them under a budget that does not bind and hands each to the Webhook. Reports how many reached the Webhook a
 * second, how long that took from the network, and what the network had to reject (lost) because the node fell
 * behind.
 */
final class ReceiveScenario implements Scenario {
    private static final int UNBOUNDED_TPS = 1_000_000;

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Duration duration = options.durationOr(Duration.ofSeconds(30));
        double perNumber = options.rate() / options.numbers();
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withUsers(100_000).withReplyProbability(0);
        report.setting("duration_s", duration.toSeconds());
        report.setting("rate_per_s", options.rate());
        report.setting("numbers", options.numbers());
        try (Rig rig = new Rig(options.store(), users)) {
            String token = rig.project();
            for (int i = 0; i < options.numbers(); i++) rig.number(token, Measure.number(i), UNBOUNDED_TPS);
            Measure.awaitUntil(() -> rig.node.engine().snapshot().stream().allMatch(l -> l.connectedShards() == l.shards()),
                    Duration.ofSeconds(10));

            long start = System.nanoTime();
            rig.network.setInboundRate(perNumber);
            Thread.sleep(duration.toMillis());
            rig.network.setInboundRate(0);
            long generated = rig.network.stats().get(Counter.GENERATED);
            Measure.awaitUntil(() -> rig.receiver.messageIds.size() >= generated - rig.network.stats().get(Counter.REJECTED),
                    Duration.ofSeconds(60));
            long elapsed = System.nanoTime() - start;
            SimStats network = rig.network.stats();

            report.add("generated_per_s", Measure.perSecond(generated, duration.toNanos()), "msg/s");
            report.add("webhook_per_s", Measure.perSecond(rig.receiver.messageIds.size(), elapsed), "msg/s");
            Measure.percentilesMillis(report, "network_to_webhook", rig.receiver.networkToWebhookMicros.getIntervalHistogram(), false);
            report.add("delivered", rig.receiver.messageIds.size(), "msg");
            report.add("rejected", network.get(Counter.REJECTED), "msg");
            report.add("duplicates", rig.receiver.duplicateMessages.sum(), "msg");
        }
    }
}
