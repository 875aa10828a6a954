package io.switchboard.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The dashboard's p50 and p99, interpolated in histogram buckets as Prometheus' histogram_quantile does. */
class QuantilesTest {
    private static final double[] BOUNDS = {0.1, 1, Double.POSITIVE_INFINITY};

    @Test
    void quantilesInterpolateWithinTheirBucket() {
        long[] counts = {10, 10, 0};
        assertThat(Quantiles.of(BOUNDS, counts, 0.5)).isCloseTo(0.1, within(1e-12));   // rank 10: the top of bucket 0
        assertThat(Quantiles.of(BOUNDS, counts, 0.25)).isCloseTo(0.05, within(1e-12)); // rank 5: half way up bucket 0
        assertThat(Quantiles.of(BOUNDS, counts, 0.99)).isCloseTo(0.1 + 0.9 * 9.8 / 10, within(1e-12));
    }

    @Test
    void aQuantileInTheInfiniteBucketIsTheHighestFiniteBound() {
        assertThat(Quantiles.of(BOUNDS, new long[] {0, 0, 5}, 0.5)).isEqualTo(1);
    }

    @Test
    void noObservationsHaveNoQuantile() {
        assertThat(Quantiles.of(BOUNDS, new long[] {0, 0, 0}, 0.5)).isNaN();
    }
}
