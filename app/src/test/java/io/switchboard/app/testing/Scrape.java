package io.switchboard.app.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

/**
 * A node's {@code /metrics}, read by an independent parser of the Prometheus text format (Hawkular's, not the
 * client library that wrote it), with look-ups by family and labels.
 */
public final class Scrape {
    private final Map<String, MetricFamily> families = new LinkedHashMap<>();
    public final String text;

    private Scrape(String text) {
        this.text = text;
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), walker).walk();
        for (MetricFamily family : walker.getAllMetricFamilies()) families.put(family.getName(), family);
    }

    public static Scrape parse(String text) {
        return new Scrape(text);
    }

    /** GET {@code /metrics} with the token (none when null); the answer's status and body. */
    public static HttpResponse<String> get(int port, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes with the token and parses; fails on anything but 200. */
    public static Scrape of(int port, String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(port, token);
        if (answer.statusCode() != 200) throw new IOException("/metrics answered " + answer.statusCode() + ": " + answer.body());
        return parse(answer.body());
    }

    public Map<String, MetricFamily> families() {
        return families;
    }

    /** The counter's or gauge's value for exactly these labels (name, value, name, value, ...), if present. */
    public Optional<Double> value(String family, String... labels) {
        return metric(family, labels).map(metric -> switch (metric) {
            case Counter counter -> counter.getValue();
            case Gauge gauge -> gauge.getValue();
            default -> throw new IllegalArgumentException(family + " is neither a counter nor a gauge");
        });
    }

    /** The value, or 0 when the series is absent; as a whole number. */
    public long count(String family, String... labels) {
        return Math.round(value(family, labels).orElse(0.0));
    }

    public Optional<Histogram> histogram(String family, String... labels) {
        return metric(family, labels).map(Histogram.class::cast);
    }

    private Optional<Metric> metric(String family, String... labels) {
        MetricFamily found = families.get(family);
        if (found == null) return Optional.empty();
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) wanted.put(labels[i], labels[i + 1]);
        List<Metric> matches = found.getMetrics().stream().filter(m -> m.getLabels().equals(wanted)).toList();
        if (matches.size() > 1) throw new IllegalStateException(family + wanted + " matches " + matches.size() + " series");
        return matches.stream().findFirst();
    }
}
