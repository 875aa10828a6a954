package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code backlog}: with the network away, queue {@code --messages} messages (5,000,000 by default) on one number,
 * then bring the network back and drain them. Reports the enqueue and drain rates, the JVM's peak heap (run it as
 * {@code SWITCHBOARD_JAVA_OPTS=-Xmx512m ./switchboard bench backlog}: the outbox keeps ids, not bodies, in memory)
 * and the store's size on disk per message.
 */
final class BacklogScenario implements Scenario {
    private static final int UNBOUNDED_TPS = 1_000_000;
    private static final int BULK = 1_000;
    private static final Duration DRAIN_LIMIT = Duration.ofHours(2);

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        long messages = options.messages();
        SimConfig users = SimConfig.defaults().withSeed(options.seed()).withAckMillis(1).withDeliverMillis(5)
                .withReadProbability(0).withReplyProbability(0).withQueueLimit(1_000_000);
        report.setting("messages", messages);
        report.setting("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        try (Rig rig = new Rig(options.store(), users); HeapWatch heap = new HeapWatch()) {
            String token = rig.project();
            rig.number(token, Measure.number(0), UNBOUNDED_TPS);
            rig.stopNetwork();

            long start = System.nanoTime();
            AtomicLong next = new AtomicLong();
            LongAdder accepted = new LongAdder();
            Measure.runClients(options.clients(), "enqueue", client -> enqueue(rig, token, client, messages, next, accepted));
            long enqueueNanos = System.nanoTime() - start;
            report.add("enqueue_per_s", Measure.perSecond(accepted.sum(), enqueueNanos), "msg/s");
            report.add("store_bytes_per_message", (double) rig.storeBytes() / Math.max(1, accepted.sum()), "B");

            long drainStart = System.nanoTime();
            rig.restartNetwork();
            boolean drained = Measure.awaitUntil(() -> rig.network.stats().get(Counter.RECEIVED) >= accepted.sum(), DRAIN_LIMIT);
            long drainNanos = System.nanoTime() - drainStart;
            long reached = rig.network.stats().get(Counter.RECEIVED) - rig.network.stats().get(Counter.DUPLICATES);
            report.add("drain_per_s", Measure.perSecond(reached, drainNanos), "msg/s");
            report.add("queued", accepted.sum(), "msg");
            report.add("lost", drained ? Math.max(0, accepted.sum() - reached) : accepted.sum() - reached, "msg");
            report.add("heap_peak_mb", heap.peakBytes() / 1048576.0, "MiB");
            report.add("heap_live_peak_mb", heap.livePeakBytes() / 1048576.0, "MiB");
        }
    }

    /** Bulk requests of {@value #BULK} until {@code messages} are queued in all. */
    private static void enqueue(Rig rig, String token, int client, long messages, AtomicLong next, LongAdder accepted)
            throws java.io.IOException {
        byte[] request = KeepAliveClient.post(rig.node.httpPort(), "/v1/messages", token, body(client));
        try (KeepAliveClient http = new KeepAliveClient(rig.node.httpPort(), request)) {
            while (next.getAndAdd(BULK) < messages) {
                int status = http.send();
                if (status != 202) throw new IllegalStateException("enqueue answered " + status + ": " + http.body());
                accepted.add(BULK);
            }
        }
    }

    private static String body(int client) {
        StringBuilder body = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < BULK; i++) {
            if (i > 0) body.append(',');
            body.append("{\"from\":\"").append(Measure.number(0)).append("\",\"to\":\"")
                    .append(Measure.user((long) client * BULK + i))
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"Your statement for November is ready\"},\"priority\":\"low\"}");
        }
        return body.append("]}").toString();
    }

    /**
     * Samples the heap every 100 ms: in use (garbage included, so up to the limit with a lazy collector) and live
     * (what the last collection kept: what the node, the network and the rig really hold at the worst moment).
     */
    private static final class HeapWatch implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong livePeak = new AtomicLong();
        private final Thread sampler = Thread.ofPlatform().daemon().name("heap-watch").start(this::sample);

        private void sample() {
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            while (!Thread.currentThread().isInterrupted()) {
                long used = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
                peak.accumulateAndGet(used, Math::max);
                long live = heap.stream().filter(MemoryPoolMXBean::isCollectionUsageThresholdSupported)
                        .mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum();
                livePeak.accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peakBytes() {
            return peak.get();
        }

        long livePeakBytes() {
            return livePeak.get();
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }
}
