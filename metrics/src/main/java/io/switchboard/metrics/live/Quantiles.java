package io.switchboard.metrics.live;

/** Quantiles from histogram buckets, interpolated within a bucket as Prometheus' {@code histogram_quantile} does. */
final class Quantiles {
    private Quantiles() {}

    /**
     * {@code bounds}: the buckets' upper bounds, ascending, the last +Inf; {@code counts}: observations per bucket
     * (not cumulative). NaN when there are none; the highest finite bound when the quantile falls in +Inf.
     */
    static double of(double[] bounds, long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return Double.NaN;
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (below + counts[i] >= rank && counts[i] > 0) {
                if (Double.isInfinite(bounds[i])) return i == 0 ? Double.NaN : bounds[i - 1];
                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * (rank - below) / counts[i];
            }
            below += counts[i];
        }
        return bounds[bounds.length - 2];
    }
}
