package io.switchboard.engine.shard;

import java.util.OptionalDouble;

/**
 * How a shard slows down when the network says the number is over its throughput (Meta's 130429): its budget is
 * halved and its sends pause for {@value #PAUSE_MS} ms; while no new throttle comes it grows back by half every
 * {@value #RECOVER_EVERY_MS} ms up to the configured share (additive-increase would take minutes at 1,000 TPS). The
 * throttles of one burst (every message under way comes back at once) count once: the budget halves at most once a
 * pause. Thread-safe.
 */
final class Throttle {
    static final long PAUSE_MS = 1_000;
    static final long RECOVER_EVERY_MS = 10_000;

    private double configured;
    private long pausedUntil;
    private long lastChange;

    Throttle(double configured) {
        this.configured = configured;
    }

    synchronized void configured(double tps) {
        configured = tps;
    }

    /** A throttle at {@code now}: answers the budget to keep (halved, unless this burst halved it already). */
    synchronized double throttled(long now, double current) {
        boolean sameBurst = now < pausedUntil;
        pausedUntil = now + PAUSE_MS;
        lastChange = now;
        return sameBurst ? current : Math.max(Math.min(1.0, configured), current / 2);
    }

    synchronized boolean paused(long now) {
        return now < pausedUntil;
    }

    synchronized long pausedUntil() {
        return pausedUntil;
    }

    /** The budget to grow to now, if it is below the configured share and no throttle came for a while. */
    synchronized OptionalDouble recover(long now, double current) {
        if (current >= configured || now - lastChange < RECOVER_EVERY_MS) return OptionalDouble.empty();
        lastChange = now;
        return OptionalDouble.of(Math.min(configured, current * 1.5));
    }
}
