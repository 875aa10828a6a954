package io.switchboard.app.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/** Small shared steps of the scenarios. */
final class Measure {
    private Measure() {}

    /** Adds {@code name_p50_ms}, {@code _p99_ms} (and {@code _p999_ms} when asked) from a histogram of microseconds. */
    static void percentilesMillis(Report report, String name, Histogram micros, boolean p999) {
        if (micros.getTotalCount() == 0) return;
        report.add(name + "_p50_ms", micros.getValueAtPercentile(50) / 1000.0, "ms");
        report.add(name + "_p99_ms", micros.getValueAtPercentile(99) / 1000.0, "ms");
        if (p999) report.add(name + "_p999_ms", micros.getValueAtPercentile(99.9) / 1000.0, "ms");
    }

    /** Waits until the condition holds or the time is up; answers whether it held. */
    static boolean awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Runs the clients on platform threads and waits for them; the first failure of any is thrown. */
    static void runClients(int count, String name, ClientBody body) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int c = 0; c < count; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name(name + "-" + c).start(() -> {
                try {
                    body.run(client);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) thread.join();
        if (failure.get() != null) throw new IllegalStateException(name + " client failed: " + failure.get(), failure.get());
    }

    @FunctionalInterface
    interface ClientBody {
        void run(int client) throws Exception;
    }

    static String number(int index) {
        return String.format("+9198%08d", index + 1);
    }

    /** A recipient among a large pool, spread evenly. */
    static String user(long index) {
        return String.format("+1555%07d", index % 10_000_000);
    }

    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }
}
