package io.switchboard.app.bench.kannel;

import io.switchboard.app.bench.KeepAliveClient;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.app.bench.Figure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Kannel (the reference open-source SMS gateway) measured on this machine, as the anchor the benchmark compares
 * Switchboard against: bearerbox + smsbox with a fake carrier link to Kannel's own {@code fakesmsc}, all child
 * processes on loopback with a generated configuration in a temp folder, killed (and the folder deleted) at the end.
 */
public final class KannelBench {
    /** Not counted: lets the boxes' threads, queues and connections settle before the window opens. */
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Chat injection: fakesmsc with {@code -i 0} writes incoming messages as fast as bearerbox reads them (15,000-25,000
     * a second here, several times what Kannel turns around), so Kannel always has a backlog; a throttled fakesmsc
     * ({@code -i} > 0) wakes up once a message and took more of the machine from Kannel for fewer round trips. The
     * total is capped at this many a second of the run, so bearerbox's unbounded queue stays within ~200 MB.
     */
    static final String CHAT_INTERVAL = "0";
    static final int CHAT_INJECT_PER_S = 10_000;
    /** Added to the run's length when sizing the injected total: start-up until the first reply, and slack. */
    private static final Duration CHAT_SLACK = Duration.ofSeconds(5);

    private KannelBench() {}

    /** Whether bearerbox, smsbox and fakesmsc are installed (Debian: apt-get install kannel kannel-extras). */
    public static boolean installed() {
        return binary("bearerbox").isPresent() && binary("smsbox").isPresent() && binary("fakesmsc").isPresent();
    }

    /** Where a Kannel program is: on the PATH, in /usr/sbin, or (fakesmsc, from kannel-extras) in /usr/lib/kannel/test. */
    static Optional<String> binary(String name) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (!d.isEmpty()) candidates.add(Path.of(d, name));
        candidates.add(Path.of("/usr/sbin", name));
        candidates.add(Path.of("/usr/bin", name));
        candidates.add(Path.of("/usr/lib/kannel/test", name));
        candidates.add(Path.of("/usr/local/sbin", name));
        candidates.add(Path.of("/usr/local/bin", name));
        for (Path p : candidates) if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p.toString());
        return Optional.empty();
    }

    /**
     * Kannel's single-message send rate: {@code clients} keep-alive HTTP clients calling smsbox's sendsms as fast as
     * they can for {@code duration} (after a one-second warm-up); figures kannel_sends_accepted_per_s (HTTP 202 answers
     * a second), kannel_sends_reached_carrier_per_s (messages fakesmsc received a second, over the same window) and
     * kannel_send_accept_p99_ms.
     */
    public static List<Figure> sends(int clients, Duration duration) throws Exception {
        if (clients < 1 || clients > 1000) throw new IllegalArgumentException("clients: " + clients);
        requireInstalled();
        try (KannelRig rig = new KannelRig(null)) {
            rig.startBoxes();
            FakesmscTap tap = rig.startFakesmsc(List.of("-m", "0", "123 234 text nop"));
            try (KeepAliveClient probe = rig.sendsms("123", "234", "probe")) {
                int code = probe.send();
                if (code != 202) throw new IOException("sendsms answered " + code + " to a probe" + rig.diagnostics());
            }
            awaitReceived(tap, 1, rig, "the probe message to reach fakesmsc");

            LongAdder accepted = new LongAdder();
            LongAdder failed = new LongAdder();
            Recorder acceptMicros = new Recorder(3);
            AtomicReference<Throwable> error = new AtomicReference<>();
            long start = System.nanoTime();
            long windowStart = start + WARM_UP.toNanos();
            long end = windowStart + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String to = String.valueOf(2_000_000 + i);
                threads.add(Thread.ofPlatform().name("kannel-sendsms-" + i).start(() -> {
                    try (KeepAliveClient client = rig.sendsms("123", to, "bench+message")) {
                        int consecutiveErrors = 0;
                        long t0;
                        while ((t0 = System.nanoTime()) < end) {
                            try {
                                int code = client.send();
                                long t1 = System.nanoTime();
                                consecutiveErrors = 0;
                                if (code == 202) {
                                    if (t1 >= windowStart && t1 < end) {
                                        accepted.increment();
                                        acceptMicros.recordValue((t1 - t0) / 1000);
                                    }
                                } else {
                                    failed.increment();
                                }
                            } catch (IOException e) {
                                failed.increment();
                                client.close();
                                if (++consecutiveErrors >= 20) throw e;
                                Thread.sleep(10);
                            }
                        }
                    } catch (Throwable t) {
                        error.compareAndSet(null, t);
                    }
                }));
            }
            sleepUntil(windowStart);
            long carrierAtStart = tap.received();
            sleepUntil(end);
            long carrierAtEnd = tap.received();
            for (Thread t : threads) t.join(10_000);
            if (error.get() != null && accepted.sum() == 0) {
                throw new IOException("sendsms clients failed: " + error.get() + rig.diagnostics(), error.get());
            }
            double seconds = duration.toNanos() / 1e9;
            Histogram latency = acceptMicros.getIntervalHistogram();
            return List.of(
                    new Figure("kannel_sends_accepted_per_s", Math.round(accepted.sum() / seconds), "/s"),
                    new Figure("kannel_sends_reached_carrier_per_s", Math.round((carrierAtEnd - carrierAtStart) / seconds), "/s"),
                    new Figure("kannel_send_accept_p99_ms", latency.getValueAtPercentile(99) / 1000.0, "ms"));
        }
    }

    /**
     * Kannel's instant-reply round trips: fakesmsc ({@code -i 0}) injects incoming messages as fast as bearerbox reads
     * them, so Kannel always has a backlog; a catch-all sms-service's get-url calls a local HTTP server whose answer
     * ({@code r <stamp>}) becomes the reply; figures
     * kannel_chat_round_trips_per_s (replies that reached fakesmsc a second, after a one-second warm-up) and
     * kannel_chat_reply_p99_ms (webhook answered -> reply at fakesmsc; the wait of the incoming message in Kannel's
     * queues before the webhook call is not in it, as fakesmsc does not say when it sent each message).
     */
    public static List<Figure> chat(Duration duration) throws Exception {
        return chat(duration, CHAT_INTERVAL, CHAT_INJECT_PER_S);
    }

    static List<Figure> chat(Duration duration, String interval, int injectPerSecond) throws Exception {
        requireInstalled();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        LongAdder webhookCalls = new LongAdder();
        server.createContext("/r", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                webhookCalls.increment();
                byte[] body = ("r " + System.nanoTime() / 1000).getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(executor);
        server.start();
        try (KannelRig rig = new KannelRig("http://127.0.0.1:" + server.getAddress().getPort() + "/r?from=%p&to=%P&text=%a")) {
            rig.startBoxes();
            long cap = (long) Math.ceil((duration.plus(WARM_UP).plus(CHAT_SLACK).toNanos() / 1e9) * injectPerSecond);
            FakesmscTap tap = rig.startFakesmsc(List.of("-i", interval, "-m", String.valueOf(cap), "123 234 text hello"));
            try {
                awaitReceived(tap, 1, rig, "the first reply to reach fakesmsc");
            } catch (IOException e) {
                throw new IOException(e.getMessage() + "\n(webhook calls so far: " + webhookCalls.sum() + ")");
            }
            Thread.sleep(WARM_UP.toMillis());
            long atStart = tap.received();
            tap.replyMicros.reset();
            tap.measuring = true;
            Thread.sleep(duration.toMillis());
            long atEnd = tap.received();
            tap.measuring = false;
            Histogram reply = tap.replyMicros.getIntervalHistogram();
            double seconds = duration.toMillis() / 1000.0;
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure("kannel_chat_round_trips_per_s", Math.round((atEnd - atStart) / seconds), "/s"));
            if (reply.getTotalCount() > 0) {
                figures.add(new Figure("kannel_chat_reply_p99_ms", reply.getValueAtPercentile(99) / 1000.0, "ms"));
            }
            return figures;
        } finally {
            server.stop(0);
            executor.shutdownNow();
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private static void requireInstalled() {
        if (!installed()) {
            throw new IllegalStateException("Kannel is not installed (Debian: apt-get install kannel kannel-extras)");
        }
    }

    private static void awaitReceived(FakesmscTap tap, long count, KannelRig rig, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FIRST_MESSAGE_TIMEOUT.toNanos();
        while (tap.received() < count) {
            if (System.nanoTime() > deadline) throw new IOException("timed out waiting for " + what + rig.diagnostics());
            Thread.sleep(20);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
}
