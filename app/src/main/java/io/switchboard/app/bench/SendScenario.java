package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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

            Recorder acceptMicros = new Recorder(3);
            LongAdder accepted = new LongAdder();
            LongAdder refused = new LongAdder();
            AtomicLong sequence = new AtomicLong();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                clients.add(Thread.ofVirtual().start(() -> drive(rig, token, options, deadline, sequence, accepted,
                        refused, acceptMicros)));
            }
            for (Thread client : clients) client.join();
            long loadNanos = System.nanoTime() - start;
            long total = accepted.sum();

            Measure.awaitUntil(() -> rig.receiver.events("read") >= total, Duration.ofSeconds(120));
            long endToEndNanos = (rig.receiver.lastEventMillis("read") * 1_000_000L) - (startEpochMillis(start) * 1_000_000L);
            SimStats network = rig.network.stats();
            long reached = network.get(Counter.RECEIVED) - network.get(Counter.DUPLICATES);

            report.add("accepted_per_s", Measure.perSecond(total, loadNanos), "msg/s");
            report.add("end_to_end_per_s", Measure.perSecond(Math.min(total, rig.receiver.events("read")), endToEndNanos), "msg/s");
            Histogram accept = acceptMicros.getIntervalHistogram();
            Measure.percentilesMillis(report, "accept_latency", accept, true);
            Histogram toSent = rig.receiver.acceptedToSentMillis.getIntervalHistogram();
            if (toSent.getTotalCount() > 0) {
                report.add("accepted_to_sent_p50_ms", toSent.getValueAtPercentile(50), "ms");
                report.add("accepted_to_sent_p99_ms", toSent.getValueAtPercentile(99), "ms");
            }
            report.add("accepted", total, "msg");
            report.add("refused_requests", refused.sum(), "req");
            report.add("events_delivered", rig.receiver.events("sent") + rig.receiver.events("delivered")
                    + rig.receiver.events("read"), "events");
            report.add("event_calls", rig.receiver.eventCalls.sum(), "calls");
            report.add("lost", Math.max(0, total - reached), "msg");
            report.add("duplicates", network.get(Counter.DUPLICATES), "msg");
        }
    }

    /** One keep-alive client: POSTs until the deadline, keeping each accepted id's accept time. */
    private static void drive(Rig rig, String token, BenchOptions options, long deadline, AtomicLong sequence,
                              LongAdder accepted, LongAdder refused, Recorder acceptMicros) {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(rig.baseUrl() + "/v1/messages");
        try {
            while (System.nanoTime() < deadline) {
                String body = body(options, sequence.getAndAdd(options.bulk()));
                long sentAt = System.nanoTime();
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                acceptMicros.recordValue((System.nanoTime() - sentAt) / 1_000);
                if (response.statusCode() != 202) {
                    refused.increment();
                    continue;
                }
                long now = System.currentTimeMillis();
                JsonNode messages = json.readTree(response.body()).path("messages");
                for (JsonNode message : messages) rig.receiver.acceptedAtMillis.put(message.path("id").asText(), now);
                accepted.add(messages.size());
            }
        } catch (Exception e) {
            throw new IllegalStateException("send client failed: " + e, e);
        } finally {
            http.close();
        }
    }

    private static String body(BenchOptions options, long first) {
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

    private static long startEpochMillis(long startNanos) {
        return System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
    }
}
