package io.switchboard.engine.budget;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * One (number, shard)'s share of the number's TPS, as a token bucket that sending, receiving and both kinds of
 * report all draw on, with a count per kind. The bucket holds a tenth of a second of tokens, so a burst after an
 * idle spell cannot push a one-second window more than 10% over the budget. The rate can change while the pump
 * runs ({@link #change}).
 */
public final class TpsBudget {
    private volatile double tps;
    private final Bucket bucket;
    private final LongAdder[] used = new LongAdder[Kind.values().length];

    public TpsBudget(double tps) {
        this.tps = check(tps);
        this.bucket = Bucket.builder().addLimit(bandwidth(tps)).build();
        for (int i = 0; i < used.length; i++) used[i] = new LongAdder();
        bucket.tryConsumeAsMuchAsPossible(); // start empty: the first second carries no stored burst
    }

    public double tps() {
        return tps;
    }

    /**
     * Applies a new rate from now on; thread-safe. Tokens already in the bucket stay (at most the new tenth of a
     * second), so a change neither grants a burst nor takes back what was refilled.
     */
    public void change(double tps) {
        bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(check(tps))).build(),
                TokensInheritanceStrategy.AS_IS);
        this.tps = tps;
    }

    /** Takes one token: 0 when it was taken, otherwise the nanoseconds until one is there (nothing taken). */
    public long tryTake() {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** Gives back a token taken for something that did not go after all. */
    public void refund() {
        bucket.addTokens(1);
    }

    public void record(Kind kind) {
        used[kind.ordinal()].increment();
    }

    /** How many tokens each kind has used since the start, indexed by {@link Kind#ordinal()}. */
    public long[] used() {
        long[] counts = new long[used.length];
        for (int i = 0; i < counts.length; i++) counts[i] = used[i].sum();
        return counts;
    }

    private static double check(double tps) {
        if (!(tps > 0)) throw new IllegalArgumentException("tps must be positive, got " + tps);
        return tps;
    }

    private static Bandwidth bandwidth(double tps) {
        long perSecond = Math.max(1, Math.round(tps));
        long capacity = Math.max(1, perSecond / 10);
        return Bandwidth.builder().capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
    }
}
