package io.switchboard.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.switchboard.dispatcher.DeliveryTimes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code switchboard_webhook_latency_seconds}: from an incoming message or status event stored to the 2xx of the
 * call that carried it, by project and kind. The dispatcher reports each delivery here ({@link DeliveryTimes});
 * {@link NodeMetrics} exposes it, and the dashboard reads its buckets for p50 and p99.
 */
public final class WebhookLatency implements DeliveryTimes {
    /** Upper bounds in seconds: 1 ms to an hour (a call retried through an outage may take that long). */
    private static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60, 300, 1800, 3600};

    /** Whose deliveries a histogram series counts. */
    public record Key(String project, String kind) {}

    private final Histogram histogram = Histogram.builder().name("switchboard_webhook_latency_seconds").unit(Unit.SECONDS)
            .help("From an incoming message or status event stored to the 2xx of the call that carried it, by kind")
            .labelNames("project", "kind")
            .classicOnly().classicUpperBounds(BOUNDS)
            .build();

    @Override
    public void delivered(String projectId, DeliveryTimes.Kind kind, long storedAtMillis, long deliveredAtMillis) {
        histogram.labelValues(projectId, kind.label()).observe(Math.max(0, deliveredAtMillis - storedAtMillis) / 1000.0);
    }

    Histogram histogram() {
        return histogram;
    }

    /** Every series' observations per bucket now (not cumulative). */
    public Map<Key, long[]> buckets() {
        Map<Key, long[]> buckets = new HashMap<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.collect().getDataPoints()) {
            ClassicHistogramBuckets classic = point.getClassicBuckets();
            long[] counts = new long[classic.size()];
            for (int i = 0; i < counts.length; i++) counts[i] = classic.getCount(i);
            buckets.put(new Key(point.getLabels().get("project"), point.getLabels().get("kind")), counts);
        }
        return buckets;
    }

    /** The buckets' upper bounds in seconds, the last one +Inf. */
    public static double[] bounds() {
        double[] bounds = Arrays.copyOf(BOUNDS, BOUNDS.length + 1);
        bounds[BOUNDS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }
}
