package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import java.time.Duration;

/**
 * {@code outage}: users write at {@code --rate} messages a second while the customer's server is down for
 * {@code --down}, then comes back. Reports what was lost (must be 0), how long the node took to catch up once the
 * server was back, and the peak backlog of Webhook calls it held meanwhile.
 */
final class OutageScenario implements Scenario {
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(5);

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withUsers(100_000).withReplyProbability(0)
                .withQueueLimit(1_000_000);
        report.setting("rate_per_s", options.rate());
        report.setting("down_s", options.down().toSeconds());
        try (Rig rig = new Rig(options.store(), users)) {
            String token = rig.project();
            for (int i = 0; i < options.numbers(); i++) rig.number(token, Measure.number(i), UNBOUNDED_TPS);
            rig.network.setInboundRate(options.rate() / options.numbers());
            Thread.sleep(BEFORE.toMillis());

            rig.receiver.down();
            long peak = 0;
            long downUntil = System.nanoTime() + options.down().toNanos();
            while (System.nanoTime() < downUntil) {
                peak = Math.max(peak, rig.node.dispatcher().backlog());
                Thread.sleep(100);
            }
            rig.receiver.up();
            long back = System.nanoTime();
            long caughtUp = -1;
            long limit = back + CATCH_UP_LIMIT.toNanos();
            while (System.nanoTime() < limit) {
                long backlog = rig.node.dispatcher().backlog();
                peak = Math.max(peak, backlog);
                if (backlog <= Math.max(10, options.rate() / 10)) {
                    caughtUp = System.nanoTime() - back;
                    break;
                }
                Thread.sleep(100);
            }
            rig.network.setInboundRate(0);
            long generated = rig.network.stats().get(Counter.GENERATED);
            Measure.awaitUntil(() -> rig.receiver.messageIds.size() >= generated, Duration.ofSeconds(60));

            long delivered = rig.receiver.messageIds.size();
            report.add("generated", generated, "msg");
            report.add("delivered", delivered, "msg");
            report.add("lost", Math.max(0, generated - delivered), "msg");
            report.add("rejected", rig.network.stats().get(Counter.REJECTED), "msg");
            report.add("duplicates", rig.receiver.duplicateMessages.sum(), "msg");
            report.add("catch_up_s", caughtUp < 0 ? -1 : caughtUp / 1e9, "s");
            report.add("peak_backlog", peak, "calls");
        }
    }
}
