package io.switchboard.app.retention;

import io.switchboard.store.Retention;
import io.switchboard.store.SweepGuard;
import io.switchboard.store.Tombstones.Tombstone;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the store no longer keeps, every {@code sweepEvery}: deleted numbers' and projects' data first, then
 * each live number's messages (and their receipts, events and stale contacts) older than its project's retention.
 * A batch is one short transaction ({@link Retention}); between batches the sweeper pauses, so the writer's group
 * commits never wait long, and a run stops after {@link #MAX_BATCHES}, leaving the rest to the next run. Only the
 * node holding the sweep lease ({@link SweepGuard}) sweeps; it renews the lease as it goes. Times are the node's
 * clock, injected so that tests can move days forward.
 */
public final class RetentionSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Batches a run makes at most: about 500,000 messages, a minute or so on a busy store. */
    static final int MAX_BATCHES = 500;
    /** The writer's time between two batches. */
    private static final long PAUSE_MILLIS = 20;
    /** The lease is renewed every so many batches. */
    private static final int RENEW_EVERY = 50;

    private final Retention retention;
    private final SweepGuard guard;
    private final Clock clock;
    private final int defaultDays;
    private final Duration every;
    private final long leaseMillis;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("retention-sweeper").daemon(true).factory());

    public RetentionSweeper(Retention retention, SweepGuard guard, Clock clock, int defaultDays, Duration every) {
        this.retention = retention;
        this.guard = guard;
        this.clock = clock;
        this.defaultDays = defaultDays;
        this.every = every;
        // Outlasts the pause between runs and a whole run, so the holder keeps it; a dead holder's runs out.
        this.leaseMillis = 2 * every.toMillis() + 120_000;
    }

    /** What a run deleted; {@code finished}: nothing was left to delete (false: more waits for the next run). */
    public record Run(boolean swept, long messages, long others, int batches, long millis, boolean finished) {
        static final Run NOT_HOLDER = new Run(false, 0, 0, 0, 0, true);
    }

    public RetentionSweeper start() {
        thread.scheduleWithFixedDelay(() -> {
            try {
                Run run = runOnce();
                if (run.messages() + run.others() > 0) {
                    LOG.info("retention: {} message(s) and {} other row(s) deleted in {} batch(es), {} ms{}",
                            run.messages(), run.others(), run.batches(), run.millis(),
                            run.finished() ? "" : "; more in the next run");
                }
            } catch (RuntimeException e) {
                LOG.warn("retention sweep failed (tried again in {}): {}", every, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One run now (the scheduled ones call it too; one at a time). */
    public synchronized Run runOnce() throws InterruptedException {
        if (!guard.take(leaseMillis)) return Run.NOT_HOLDER;
        long started = System.nanoTime();
        Tally tally = new Tally();
        boolean finished = true;
        for (Tombstone tombstone : retention.tombstones()) {
            if (!(finished = tally.drain(() -> retention.sweep(tombstone)))) break;
        }
        if (finished) {
            for (Retention.Cutoff cutoff : retention.cutoffs(clock.millis(), defaultDays)) {
                if (!(finished = tally.drain(() -> retention.sweep(cutoff)))) break;
            }
        }
        return new Run(true, tally.messages, tally.others, tally.batches, (System.nanoTime() - started) / 1_000_000,
                finished);
    }

    /** What a run deleted so far; owned by the run's thread. */
    private final class Tally {
        long messages;
        long others;
        int batches;

        /** Batches until {@code batch} finds no more; false when the run must stop (its bound, or the lease lost). */
        boolean drain(Supplier<Retention.Swept> batch) throws InterruptedException {
            Retention.Swept swept;
            do {
                if (batches == MAX_BATCHES || !pause(++batches)) return false;
                swept = batch.get();
                messages += swept.messages();
                others += swept.others();
            } while (swept.more());
            return true;
        }
    }

    /** Before batch {@code batch}: the pause after the one before, and now and then the lease; false: lost it. */
    private boolean pause(int batch) throws InterruptedException {
        if (batch == 1) return true;
        Thread.sleep(PAUSE_MILLIS);
        return batch % RENEW_EVERY != 0 || guard.take(leaseMillis);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            guard.release();
        } catch (RuntimeException e) {
            LOG.warn("handing the sweep lease back: {}", e.toString());
        }
    }
}
