package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code budget}: three numbers at 20, 100 and 1,000 TPS, each with a campaign far larger than its budget while users
 * read, reply and write in, so all four kinds compete. Counted at the network (not by the node's own accounting)
 * every second: the worst deviation from the budget over any 1 s and any 10 s window, per number.
 */
final class BudgetScenario implements Scenario {
    private static final int[] BUDGETS = {20, 100, 1_000};
    private static final int WARM_UP_SECONDS = 3;

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Duration duration = options.durationOr(Duration.ofSeconds(20));
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withReplyProbability(0.3)
                .withInboundRatePerNumber(8).withQueueLimit(1_000_000);
        report.setting("duration_s", duration.toSeconds());
        try (Rig rig = new Rig(options.store(), users)) {
            String token = rig.project();
            for (int i = 0; i < BUDGETS.length; i++) {
                rig.number(token, Measure.number(i), BUDGETS[i]);
                queueCampaign(rig, token, Measure.number(i), BUDGETS[i] * (int) (duration.toSeconds() + WARM_UP_SECONDS));
            }
            Thread.sleep(WARM_UP_SECONDS * 1_000L);
            List<long[]> samples = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                times.add(System.nanoTime());
                samples.add(interactions(rig.network.stats()));
                Thread.sleep(1_000);
            }
            for (int i = 0; i < BUDGETS.length; i++) {
                report.add("budget_" + BUDGETS[i] + "_worst_1s_deviation_pct", worst(samples, times, i, 1, BUDGETS[i]), "%");
                report.add("budget_" + BUDGETS[i] + "_worst_10s_deviation_pct", worst(samples, times, i, 10, BUDGETS[i]), "%");
            }
        }
    }

    private static void queueCampaign(Rig rig, String token, String number, int messages) throws Exception {
        for (int first = 0; first < messages; first += 1_000) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int n = first; n < Math.min(messages, first + 1_000); n++) {
                batch.add(Map.of("from", number, "to", Measure.user(n), "type", "text",
                        "text", Map.of("body", "Campaign message " + n), "priority", "low"));
            }
            rig.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
        }
    }

    /** Per number: everything the budget pays for, as the network counts it (sends, messages and reports taken). */
    private static long[] interactions(SimStats stats) {
        long[] counts = new long[BUDGETS.length];
        for (int i = 0; i < BUDGETS.length; i++) {
            String number = Measure.number(i);
            counts[i] = stats.get(number, Counter.RECEIVED) + stats.get(number, Counter.HANDED)
                    + stats.get(number, Counter.STATUSES_HANDED);
        }
        return counts;
    }

    /** The largest |rate - budget| / budget, in percent, over windows of {@code seconds} consecutive samples. */
    private static double worst(List<long[]> samples, List<Long> times, int number, int seconds, int budget) {
        double worst = 0;
        for (int from = 0; from + seconds < samples.size(); from++) {
            long count = samples.get(from + seconds)[number] - samples.get(from)[number];
            double rate = count * 1e9 / (times.get(from + seconds) - times.get(from));
            worst = Math.max(worst, Math.abs(rate - budget) * 100.0 / budget);
        }
        return worst;
    }
}
