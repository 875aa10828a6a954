package io.switchboard.network.cloud;

import java.util.concurrent.locks.Condition;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many Graph API calls one link has under way at once, adapted to what Meta takes (AIMD, as TCP adapts its
 * window): a fixed number caps a number at that many calls per round trip (32 calls at 150 ms is 213 messages a
 * second, while Meta lets a number send 1,000), and a large fixed one overruns Meta when it is slow or refusing.
 *
 * <ul>
 * <li>Growth, on an answer that is OK and fast (within twice the lowest latency of the recent answers): one more call
 * per answer until the first congestion (slow start: the limit doubles every round trip), then one more per round
 * trip (1/limit per answer). An OK answer that is slow (Meta, or the way to it, queueing) changes nothing.</li>
 * <li>Congestion (130429, 131056, 5xx, a timeout or a failed connection): the limit halves, at most once per round
 * trip: the answers of calls that started before the last cut are the same episode and count once.</li>
 * <li>Bounds: at least {@value #MIN}, at most the ceiling ({@code upstream.concurrency}); it starts at
 * {@value #INITIAL} (or the ceiling if lower).</li>
 * </ul>
 *
 * <p>Thread-safe; callers block in {@link #acquire} while the calls under way reach the limit.
 */
final class AdaptiveLimit {
    static final int MIN = 1;
    static final int INITIAL = 32;
    /** Answers per window of the lowest latency; the baseline is the lowest of this window and the last. */
    private static final int LATENCY_WINDOW = 256;

    /** What an answer says about Meta's capacity. */
    enum Outcome { OK, CONGESTED, NEUTRAL }

    private final int ceiling;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private double limit;
    private int inFlight;
    private boolean slowStart = true;
    private long lastCutNanos = Long.MIN_VALUE;
    private boolean cut;
    private long lowestThisWindow = Long.MAX_VALUE;
    private long lowestLastWindow = Long.MAX_VALUE;
    private int inWindow;

    AdaptiveLimit(int ceiling) {
        this(ceiling, System::nanoTime);
    }

    /** {@code nanoClock}: {@link System#nanoTime}, or a test's clock. */
    AdaptiveLimit(int ceiling, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        if (ceiling < MIN) throw new IllegalArgumentException("ceiling must be at least " + MIN + ", got " + ceiling);
        this.ceiling = ceiling;
        this.limit = Math.min(INITIAL, ceiling);
    }

    /** Waits for room for one more call; answers its start (on the clock), to hand to {@link #release}. */
    long acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inFlight >= (int) limit) freed.await();
            inFlight++;
            return nanoClock.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** The call that started at {@code startedNanos} is answered (or failed) now, with this outcome. */
    void release(long startedNanos, Outcome outcome) {
        lock.lock();
        try {
            long endedNanos = nanoClock.getAsLong();
            inFlight--;
            int before = (int) limit;
            switch (outcome) {
                case OK -> grow(endedNanos - startedNanos);
                case CONGESTED -> {
                    if (!cut || startedNanos - lastCutNanos > 0) { // a call sent after the last cut: a new episode
                        limit = Math.max(MIN, limit / 2);
                        slowStart = false;
                        cut = true;
                        lastCutNanos = endedNanos;
                    }
                }
                case NEUTRAL -> { }
            }
            // One waiter a slot: the one this call freed, and one more if the limit grew (hundreds of lanes may wait).
            freed.signal();
            if ((int) limit > before) freed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void grow(long latencyNanos) {
        lowestThisWindow = Math.min(lowestThisWindow, latencyNanos);
        if (++inWindow >= LATENCY_WINDOW) {
            lowestLastWindow = lowestThisWindow;
            lowestThisWindow = Long.MAX_VALUE;
            inWindow = 0;
        }
        long baseline = Math.min(lowestThisWindow, lowestLastWindow);
        if (latencyNanos > 2 * baseline) return;
        limit = Math.min(ceiling, limit + (slowStart ? 1 : 1 / limit));
    }

    /** Calls allowed at once now. */
    int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
