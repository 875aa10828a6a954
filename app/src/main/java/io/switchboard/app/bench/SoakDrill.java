package io.switchboard.app.bench;

import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code soak}: a node process (-Xmx512m by default) under every kind of traffic at once for {@code duration} (an
 * hour by default; {@code --duration 2m} for a quick check): sends through the API, users writing in, an instant
 * reply to each of them, and the Event Webhook hearing every report. The default rate, 2,000 messages a second (half
 * sends, half incoming answered at once), is about half of what one node carries with this mix on the 2-core
 * machine of the Figures (bench chat: 4,824 round trips a second, bench send: 18,713 messages a second end to end).
 * Every minute (or eighth of a shorter run) it prints the node's live heap, threads, file descriptors and store
 * size, and at the end fails loudly if any of them grew without bound ({@link GrowthCheck}); the store by its
 * bytes a message, since it keeps every message.
 */
public record SoakDrill(Duration duration, double rate, String nodeHeap, long seed) {
    public static final double DEFAULT_RATE = 2_000;
    private static final String[] NUMBERS = {"+919800000001", "+919800000002"};
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final Duration LONGEST_INTERVAL = Duration.ofMinutes(1);
    private static final double MIB = 1048576.0;

    public void run(Report report) throws Exception {
        Duration interval = duration.dividedBy(8).compareTo(LONGEST_INTERVAL) < 0 ? duration.dividedBy(8) : LONGEST_INTERVAL;
        report.setting("duration_s", duration.toSeconds());
        report.setting("rate_per_s", rate);
        report.setting("node_heap", nodeHeap);
        Path folder = Files.createTempDirectory("switchboard-soak");
        SimConfig users = SimConfig.defaults().withSeed(seed).withPort(0).withStatsPort(0).withUsers(100_000)
                .withReplyProbability(0).withQueueLimit(1_000_000);
        GrowthCheck heap = new GrowthCheck("heap_live", "MiB", 64);
        GrowthCheck threads = new GrowthCheck("threads", "threads", 32);
        GrowthCheck fds = new GrowthCheck("file_descriptors", "fds", 64);
        GrowthCheck storePerMessage = new GrowthCheck("store_per_message", "B", 200);
        try (SimNetwork network = SimNetwork.start(users);
             CountingReceiver bot = new CountingReceiver();
             DrillNode node = new DrillNode(folder.resolve("node.log"), folder.resolve("data"), network.port(), Map.of(),
                     List.of("-Xmx" + nodeHeap)).start()) {
            bot.replyToEveryMessage(true);
            String token = node.project("soak", bot.webhookUrl(), bot.eventWebhookUrl());
            for (String number : NUMBERS) node.number(token, number, UNBOUNDED_TPS, 1);
            ProcessGauges gauges = new ProcessGauges(node.process().pid());
            long start = System.nanoTime();
            try (AcknowledgedSends sends = new AcknowledgedSends(node.process().httpPort(), token, NUMBERS[0],
                    network.users(), 4, rate / 2, Long.MAX_VALUE)) {
                network.setInboundRate(rate / 2 / NUMBERS.length);
                long end = start + duration.toNanos();
                for (long next = start + interval.toNanos(); next <= end; next += interval.toNanos()) {
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                    if (!node.process().alive()) throw new IllegalStateException("the node died; log:\n" + node.process().log());
                    long messages = sends.acknowledged() + bot.messageCalls.sum() + bot.repliesSent.sum();
                    long storeBytes = storeBytes(folder.resolve("data"));
                    double liveHeap = gauges.liveHeapBytes() / MIB;
                    long threadCount = gauges.threads();
                    long fdCount = gauges.fileDescriptors();
                    heap.add(liveHeap);
                    threads.add(threadCount);
                    fds.add(fdCount);
                    storePerMessage.add((double) storeBytes / Math.max(1, messages));
                    report.note(String.format(Locale.ROOT, "%4.0f s: heap %.1f MiB live, %d threads, %d file descriptors, "
                                    + "store %.1f MiB (%d messages)", (System.nanoTime() - start) / 1e9, liveHeap,
                            threadCount, fdCount, storeBytes / MIB, messages));
                }
                network.setInboundRate(0);
                report.add("sends_acknowledged", sends.acknowledged(), "msg");
                report.add("sends_refused", sends.answered(503) + sends.answeredOtherwise()
                        + sends.answered(AcknowledgedSends.NO_ANSWER), "requests");
            }
            report.add("incoming_delivered", bot.messageCalls.sum(), "msg");
            report.add("instant_replies_sent", bot.repliesSent.sum(), "msg");
            report.add("event_webhook_calls", bot.eventCalls.sum(), "calls");
            boolean grew = false;
            for (GrowthCheck gauge : List.of(heap, threads, fds, storePerMessage)) {
                report.add(gauge.name() + "_first", gauge.first(), gauge.unit());
                report.add(gauge.name() + "_last", gauge.last(), gauge.unit());
                report.add(gauge.name() + "_grows", gauge.grows() ? 1 : 0, "bool");
                grew |= gauge.grows();
            }
            if (grew) throw new IllegalStateException("SOAK FAILED: a gauge grew without bound (see *_grows above)");
        } finally {
            Folders.delete(folder);
        }
    }

    private static long storeBytes(Path data) throws IOException {
        try (var files = Files.list(data)) {
            return files.filter(f -> f.getFileName().toString().startsWith("switchboard.db"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
