package io.switchboard.app.bench;

import io.switchboard.app.bench.kannel.KannelBench;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code chat}: users write to {@code --numbers} numbers at {@code --rate} messages a second in all, the bot answers
 * each with an instant reply, and a large low-priority campaign runs on the same numbers at the same time. Reports
 * round trips a second (replies the network took), the user -> reply latency, the campaign's rate, and whether
 * incoming traffic was starved (anything the network had to reject).
 */
final class ChatScenario implements Scenario {
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final int CAMPAIGN_PER_NUMBER = 20_000;

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Duration duration = options.durationOr(Duration.ofSeconds(30));
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withUsers(100_000).withReplyProbability(0)
                .withReadProbability(0).withQueueLimit(1_000_000);
        report.setting("duration_s", duration.toSeconds());
        report.setting("rate_per_s", options.rate());
        report.setting("numbers", options.numbers());
        try (Rig rig = new Rig(options.store(), users)) {
            rig.receiver.replyToEveryMessage(true);
            String token = rig.project();
            for (int i = 0; i < options.numbers(); i++) {
                rig.number(token, Measure.number(i), UNBOUNDED_TPS);
                queueCampaign(rig, token, Measure.number(i));
            }
            long campaignSentBefore = campaignSent(rig);
            long start = System.nanoTime();
            rig.network.setInboundRate(options.rate() / options.numbers());
            Thread.sleep(duration.toMillis());
            rig.network.setInboundRate(0);
            long elapsed = System.nanoTime() - start;
            long replies = rig.receiver.repliesSent.sum();
            long campaign = campaignSent(rig) - campaignSentBefore;
            SimStats network = rig.network.stats();

            report.add("round_trips_per_s", Measure.perSecond(replies, elapsed), "msg/s");
            var latency = rig.receiver.replyMillis.getIntervalHistogram();
            if (latency.getTotalCount() > 0) {
                report.add("reply_latency_p50_ms", latency.getValueAtPercentile(50), "ms");
                report.add("reply_latency_p99_ms", latency.getValueAtPercentile(99), "ms");
            }
            report.add("campaign_per_s", Measure.perSecond(campaign, elapsed), "msg/s");
            report.add("generated_per_s", Measure.perSecond(network.get(Counter.GENERATED), elapsed), "msg/s");
            report.add("rejected", network.get(Counter.REJECTED), "msg");
            report.add("inbound_starved", network.get(Counter.REJECTED) > 0 ? 1 : 0, "bool");
            if (options.kannel()) {
                VersusKannel.compare(report, () -> KannelBench.chat(duration), "kannel_chat_round_trips_per_s",
                        Measure.perSecond(replies, elapsed), "round_trips_vs_kannel");
            }
        }
    }

    /** Campaign sends the network took: all sends but the instant replies. */
    private static long campaignSent(Rig rig) {
        return rig.network.stats().get(Counter.RECEIVED) - rig.receiver.repliesSent.sum();
    }

    private static void queueCampaign(Rig rig, String token, String number) throws Exception {
        for (int first = 0; first < CAMPAIGN_PER_NUMBER; first += 1_000) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int n = first; n < first + 1_000; n++) {
                batch.add(Map.of("from", number, "to", String.format("+1666%07d", n), "type", "text",
                        "text", Map.of("body", "Weekly offer " + n), "priority", "low"));
            }
            rig.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
        }
    }
}
