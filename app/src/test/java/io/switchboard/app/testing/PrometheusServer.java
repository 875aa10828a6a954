package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.bench.Commands;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus server (Debian's {@code prometheus} package, installed by {@code .ci/install-prometheus}) as a
 * process of its own: a generated configuration that scrapes one node's {@code /metrics} every second with the admin
 * token, evaluates the given rule files every second, keeps its data in a temporary folder and listens on a free
 * loopback port; its HTTP API is queried as an operator's Grafana would.
 */
public final class PrometheusServer implements AutoCloseable {
    /** The job name the shipped alert rules expect ({@code up{job="switchboard"}}). */
    public static final String JOB = "switchboard";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public final String url;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.url = "http://127.0.0.1:" + port;
    }

    /** Fails with the way to install it when the program is missing: these tests are never skipped. */
    public static void requireInstalled(String program) {
        if (!Commands.available(program)) {
            throw new AssertionError(program + " is not installed: run .ci/install-prometheus (Debian's prometheus "
                    + "package, which has prometheus and promtool)");
        }
    }

    /**
     * Starts Prometheus in {@code dir} scraping the node at {@code nodePort} with {@code token} as bearer credentials,
     * with the rule files given (copied into {@code dir}), and waits until it is ready.
     */
    public static PrometheusServer start(Path dir, int nodePort, String token, List<Path> rules) throws Exception {
        requireInstalled("prometheus");
        Path tokenFile = dir.resolve("switchboard.token");
        Files.writeString(tokenFile, token);
        List<String> ruleFiles = new ArrayList<>();
        for (Path rule : rules) ruleFiles.add("    - " + rule.toAbsolutePath());
        // The README's scrape configuration, with the intervals shortened for a test.
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                scrape_configs:
                  - job_name: %s
                    scrape_timeout: 1s
                    authorization:
                      credentials_file: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(ruleFiles.isEmpty() ? "  []" : String.join("\n", ruleFiles), JOB, tokenFile, nodePort);
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder("prometheus", "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            server.awaitReady();
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("prometheus exited (" + process.exitValue() + "): " + log());
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus was not ready within 60 s: " + log());
    }

    /** An instant query through {@code /api/v1/query}: its {@code data.result}; fails on a query Prometheus refuses. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return answer.path("data").path("result");
    }

    /** The value of a query that answers one sample, or NaN when it answers none. */
    public double value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        if (result.isEmpty()) return Double.NaN;
        if (result.size() != 1) throw new AssertionError(promql + " answered more than one sample: " + result);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** The alerts pending or firing now ({@code /api/v1/alerts}). */
    public JsonNode alerts() throws IOException, InterruptedException {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    /** The state of the named alert ({@code pending}, {@code firing}), or {@code inactive}. */
    public String alertState(String name) throws IOException, InterruptedException {
        for (JsonNode alert : alerts()) {
            if (name.equals(alert.path("labels").path("alertname").asText())) return alert.path("state").asText();
        }
        return "inactive";
    }

    /** The scrape targets' health ({@code /api/v1/targets}), for a failure's message. */
    public JsonNode targets() throws IOException, InterruptedException {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(answer.body());
        if (answer.statusCode() != 200 || !"success".equals(json.path("status").asText())) {
            throw new AssertionError(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json;
    }

    /** What the server logged so far (warnings and errors). */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
