package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import io.switchboard.app.bench.kannel.KannelBench;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code send}: Push API load from {@code --clients} keep-alive clients, in requests of {@code --bulk} messages, to
 * {@code --numbers} numbers whose budget does not bind; users read everything at once and never reply. After the
 * load stops it waits until every accepted message is read and its events delivered, then reports how fast that was.
 */
final class SendScenario implements Scenario {
    private static final int UNBOUNDED_TPS = 1_000_000;

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Duration duration = options.durationOr(Duration.ofSeconds(30));
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withAckMillis(1).withDeliverMillis(5)
                .withReadMillis(5).withReadProbability(1.0).withReplyProbability(0.0).withQueueLimit(1_000_000);
        report.setting("duration_s", duration.toSeconds());
        report.setting("clients", options.clients());
        report.setting("bulk", options.bulk());
        report.setting("numbers", options.numbers());
        try (Rig rig = new Rig(options.store(), users)) {
            String token = rig.project();
            for (int i = 0; i < options.numbers(); i++) rig.number(token, Measure.number(i), UNBOUNDED_TPS);

            Load load = new Load(System.nanoTime() + WARM_UP.toNanos(), duration);
            Thread measure = Thread.ofPlatform().start(() -> load.measureWindow(rig, WARM_UP, duration));
            Measure.runClients(options.clients(), "send", client -> drive(rig,
                    KeepAliveClient.post(rig.node.httpPort(), "/v1/messages", token, body(options, client)), load));
            measure.join();
            long reachedInWindow = load.reachedInWindow;
            long total = load.accepted.sum();

            Measure.awaitUntil(() -> rig.receiver.events("read") >= total, Duration.ofSeconds(120));
            long endToEndMillis = rig.receiver.lastEventMillis("read") - load.firstAcceptedMillis;
            SimStats network = rig.network.stats();
            long reached = network.get(Counter.RECEIVED) - network.get(Counter.DUPLICATES);

            report.add("accepted_per_s", Measure.perSecond(load.acceptedInWindow.sum(), duration.toNanos()), "msg/s");
            report.add("reached_network_per_s", Measure.perSecond(reachedInWindow, duration.toNanos()), "msg/s");
            report.add("end_to_end_per_s", Measure.perSecond(Math.min(total, rig.receiver.events("read")),
                    endToEndMillis * 1_000_000L), "msg/s");
            Measure.percentilesMillis(report, "accept_latency", load.acceptMicros.getIntervalHistogram(), true);
            Histogram toSent = rig.receiver.acceptedToSentMillis.getIntervalHistogram();
            if (toSent.getTotalCount() > 0) {
                report.add("accepted_to_sent_p50_ms", toSent.getValueAtPercentile(50), "ms");
                report.add("accepted_to_sent_p99_ms", toSent.getValueAtPercentile(99), "ms");
            }
            report.add("accepted", total, "msg");
            report.add("refused_requests", load.refused.sum(), "req");
            report.add("events_delivered", rig.receiver.events("sent") + rig.receiver.events("delivered")
                    + rig.receiver.events("read"), "events");
            report.add("event_calls", rig.receiver.eventCalls.sum(), "calls");
            // The bar for batching: below 0.05 Event Webhook calls per message delivered.
            report.add("event_calls_per_message", total == 0 ? 0 : (double) rig.receiver.eventCalls.sum() / total, "calls/msg");
            report.add("lost", Math.max(0, total - reached), "msg");
            report.add("duplicates", network.get(Counter.DUPLICATES), "msg");
            if (options.kannel()) {
                VersusKannel.compare(report, () -> KannelBench.sends(options.clients(), duration),
                        "kannel_sends_reached_carrier_per_s", Measure.perSecond(reachedInWindow, duration.toNanos()),
                        "reached_network_vs_kannel");
            }
        }
    }

    /** What the clients share: the measuring window, and what they counted. */
    private static final class Load {
        final long windowStart;
        final long windowEnd;
        final LongAdder accepted = new LongAdder();
        final LongAdder acceptedInWindow = new LongAdder();
        final LongAdder refused = new LongAdder();
        final Recorder acceptMicros = new Recorder(3);
        volatile long firstAcceptedMillis;
        volatile long reachedInWindow;

        Load(long windowStart, Duration duration) {
            this.windowStart = windowStart;
            this.windowEnd = windowStart + duration.toNanos();
            this.firstAcceptedMillis = System.currentTimeMillis();
        }

        /** Counts, at the network, what reached it during the window. */
        void measureWindow(Rig rig, Duration warmUp, Duration window) {
            try {
                Thread.sleep(warmUp.toMillis());
                long atStart = rig.network.stats().get(Counter.RECEIVED);
                Thread.sleep(window.toMillis());
                reachedInWindow = rig.network.stats().get(Counter.RECEIVED) - atStart;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One keep-alive client: sends its request until the window ends, keeping each accepted id's accept time. */
    private static void drive(Rig rig, byte[] request, Load load) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        try (KeepAliveClient client = new KeepAliveClient(rig.node.httpPort(), request)) {
            long started;
            while ((started = System.nanoTime()) < load.windowEnd) {
                int status = client.send();
                long answered = System.nanoTime();
                if (status != 202) {
                    load.refused.increment();
                    continue;
                }
                long now = System.currentTimeMillis();
                JsonNode messages = json.readTree(client.body()).path("messages");
                for (JsonNode message : messages) rig.receiver.acceptedAtMillis.put(message.path("id").asText(), now);
                load.accepted.add(messages.size());
                if (answered >= load.windowStart) {
                    load.acceptedInWindow.add(messages.size());
                    load.acceptMicros.recordValue((answered - started) / 1_000);
                }
            }
        }
    }

    /** The request body of client {@code client}: its own recipients, the same each time. */
    private static String body(BenchOptions options, int client) {
        long first = (long) client * options.bulk();
        StringBuilder body = new StringBuilder(options.bulk() * 120 + 20);
        if (options.bulk() > 1) body.append("{\"messages\":[");
        for (int i = 0; i < options.bulk(); i++) {
            long n = first + i;
            if (i > 0) body.append(',');
            body.append("{\"from\":\"").append(Measure.number((int) (n % options.numbers())))
                    .append("\",\"to\":\"").append(Measure.user(n))
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"Order ").append(n).append(" has shipped\"}}");
        }
        if (options.bulk() > 1) body.append("]}");
        return body.toString();
    }

}
