package io.switchboard.dispatcher;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one endpoint. Closed, calls flow. After {@code threshold} failures in a row it opens: no
 * call goes out until the probe time, when exactly one call (the probe) is let through. The probe's success closes
 * the circuit and lets everything waiting go at once; its failure opens it again for twice as long, up to
 * {@code maxOpenMillis}. A server asking to slow down (Retry-After) opens it for the time it asked.
 */
final class Circuit {
    enum State { CLOSED, OPEN, PROBING }

    private final int threshold;
    private final long firstOpenMillis;
    private final long maxOpenMillis;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Written under the lock; volatile so that the status view reads them without it.
    private volatile State state = State.CLOSED;
    private volatile long recoveries;
    private int failuresInARow;
    private long openMillis;
    private long openUntil;

    Circuit(int threshold, long firstOpenMillis, long maxOpenMillis, LongSupplier clock) {
        this.threshold = threshold;
        this.firstOpenMillis = firstOpenMillis;
        this.maxOpenMillis = maxOpenMillis;
        this.clock = clock;
    }

    /**
     * Waits up to {@code waitMillis} for leave to call: true when the circuit is closed, or when this caller is
     * the probe of an open one.
     */
    boolean enter(long waitMillis) throws InterruptedException {
        long deadline = clock.getAsLong() + waitMillis;
        lock.lock();
        try {
            while (true) {
                long now = clock.getAsLong();
                if (state == State.CLOSED) return true;
                if (state == State.OPEN && now >= openUntil) {
                    state = State.PROBING;
                    return true;
                }
                long until = state == State.OPEN ? Math.min(deadline, openUntil) : deadline;
                if (now >= deadline) return false;
                changed.await(Math.max(1, until - now), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A call was taken; answers whether that closed an open circuit. */
    boolean succeeded() {
        lock.lock();
        try {
            failuresInARow = 0;
            if (state == State.CLOSED) return false;
            state = State.CLOSED;
            openMillis = 0;
            recoveries++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A call failed; {@code retryAfterMillis} (0 if none) is how long the server asked us to stay away. Answers
     * whether that opened a closed circuit.
     */
    boolean failed(long retryAfterMillis) {
        lock.lock();
        try {
            boolean wasClosed = state == State.CLOSED;
            failuresInARow++;
            long now = clock.getAsLong();
            if (state == State.PROBING || (state == State.CLOSED && failuresInARow >= threshold)) {
                openMillis = openMillis == 0 ? firstOpenMillis : Math.min(maxOpenMillis, openMillis * 2);
                open(now + openMillis);
            }
            if (retryAfterMillis > 0 && now + retryAfterMillis > openUntil(now)) open(now + retryAfterMillis);
            return wasClosed && state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    private long openUntil(long now) {
        return state == State.CLOSED ? now : openUntil;
    }

    private void open(long until) {
        state = State.OPEN;
        openUntil = until;
        changed.signalAll(); // a waiter whose deadline moved re-reads it
    }

    /** Forgets the endpoint's history: its URL changed, so it is another server. */
    void reset() {
        lock.lock();
        try {
            state = State.CLOSED;
            failuresInARow = 0;
            openMillis = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    State state() {
        return state;
    }

    /** How many times the circuit closed again after opening. */
    long recoveries() {
        return recoveries;
    }
}
