package io.switchboard.app.bench;

import io.switchboard.network.sim.SimConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code upstream}: {@code --numbers} numbers connected to a stand-in for Meta's Cloud API in this process
 * ({@link MetaStandIn}: {@code --graph-latency}, {@code --meta-mps} a number, the pair rate), each offered Meta's
 * ceiling, {@code --meta-mps} messages a second, each to a different user, through the Push API; Meta's status
 * webhooks (sent, delivered, read) come back to the node's callback URL. Reports what reached Meta a second, the Graph
 * latency, the webhook events the node took a second, Meta's refusals, and, once everything is answered, the
 * messages lost (accepted and not taken by Meta, or whose read never reached the Event Webhook) and duplicated.
 */
final class UpstreamScenario implements Scenario {
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    private static final long TICK_MS = 100;
    private static final String APP_SECRET = "bench-app-secret";

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Duration duration = options.durationOr(Duration.ofSeconds(20));
        int mps = options.metaMps();
        report.setting("duration_s", duration.toSeconds());
        report.setting("numbers", options.numbers());
        report.setting("graph_latency_ms", options.graphLatency().toMillis());
        report.setting("meta_mps", mps);
        // Meta first: its server's settings are the JDK's, read once, before the receiver's server starts.
        try (MetaStandIn meta = new MetaStandIn(options.graphLatency(), mps, APP_SECRET);
             Rig rig = new Rig(options.store(), SimConfig.defaults().withSeed(options.seed()))) {
            meta.webhookUrl(rig.baseUrl() + "/upstream/cloud/webhook");
            String token = rig.project();
            for (int i = 0; i < options.numbers(); i++) {
                String phoneNumberId = String.valueOf(106_540_352_242_900L + i);
                String accessToken = "EAAG-bench-" + i;
                meta.number(phoneNumberId, accessToken);
                // The number's budget at Meta's rate: Meta's statuses are free, as Meta counts messages only.
                rig.api.expect(201, "/v1/numbers", token, Map.of("number", Measure.number(i), "tps", mps, "shards", 1,
                        "upstream", Map.of("kind", "cloud", "base_url", meta.baseUrl(), "api_version", MetaStandIn.VERSION,
                                "phone_number_id", phoneNumberId, "access_token", accessToken, "app_secret", APP_SECRET,
                                "verify_token", "bench-verify-" + i)));
            }

            long start = System.nanoTime();
            long end = start + WARM_UP.toNanos() + duration.toNanos();
            LongAdder accepted = new LongAdder();
            AtomicLong users = new AtomicLong();
            long[] atWindow = new long[4]; // Meta's messages and webhook events taken, at the window's start and end
            Thread window = Thread.ofPlatform().name("upstream-window").start(() -> {
                try {
                    Thread.sleep(WARM_UP.toMillis());
                    atWindow[0] = meta.taken.sum();
                    atWindow[1] = meta.eventsTaken.sum();
                    meta.graphMicros.getIntervalHistogram();
                    Thread.sleep(duration.toMillis());
                    atWindow[2] = meta.taken.sum();
                    atWindow[3] = meta.eventsTaken.sum();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Measure.runClients(options.numbers(), "upstream-load", number ->
                    offer(rig, token, number, mps, start, end, accepted, users));
            window.join();
            Histogram graph = meta.graphMicros.getIntervalHistogram();

            long total = accepted.sum();
            Measure.awaitUntil(() -> meta.reached() >= total && rig.receiver.events("read") >= total
                    && meta.statusesOwed() == 0, DRAIN_LIMIT);
            long reached = meta.reached();
            long read = rig.receiver.events("read");

            double windowNanos = duration.toNanos();
            double perSecond = Measure.perSecond(atWindow[2] - atWindow[0], (long) windowNanos);
            report.add("reached_meta_per_s", perSecond, "msg/s");
            report.add("reached_meta_per_number_per_s", perSecond / options.numbers(), "msg/s");
            Measure.percentilesMillis(report, "graph_latency", graph, false);
            report.add("webhook_events_per_s", Measure.perSecond(atWindow[3] - atWindow[1], (long) windowNanos), "events/s");
            report.add("webhook_calls", meta.webhookCalls.sum(), "calls");
            report.add("webhook_calls_refused", meta.webhooksRefused.sum(), "calls");
            report.add("throttled", meta.throttled.sum(), "calls");
            report.add("pair_limited", meta.pairLimited.sum(), "calls");
            report.add("accepted", total, "msg");
            report.add("lost", Math.max(0, total - Math.min(reached, read)), "msg");
            report.add("duplicates", meta.duplicates.sum() + Math.max(0, read - reached), "msg");
        }
    }

    /**
     * One number's load: every tick, a tenth of Meta's ceiling in one Push API request (each message to a user of its
     * own, with a body of its own), catching up when a request took longer than a tick, until {@code end}.
     */
    private static void offer(Rig rig, String token, int number, int mps, long start, long end, LongAdder accepted,
                              AtomicLong users) throws Exception {
        int perTick = (int) Math.max(1, mps * TICK_MS / 1_000);
        String from = Measure.number(number);
        long next = start;
        for (int tick = 0; next < end; tick++, next = start + tick * TICK_MS * 1_000_000) {
            long wait = next - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            List<Map<String, Object>> batch = new ArrayList<>(perTick);
            for (int i = 0; i < perTick; i++) {
                batch.add(Map.of("from", from, "to", Measure.user(users.getAndIncrement()), "type", "text",
                        "text", Map.of("body", "Order " + number + "-" + tick + "-" + i + " has shipped")));
            }
            accepted.add(rig.api.expect(202, "/v1/messages", token, Map.of("messages", batch)).path("messages").size());
        }
    }
}
