package io.switchboard.app.observe;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.PrometheusServer;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.testing.Scrape;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus, as a process of its own, scrapes a real node with the admin token: its queries answer the
 * node's figures, every query of the shipped Grafana dashboard runs, and the shipped alert rules, evaluated by it,
 * fire against the node: dead letters of a project whose server fails, shard unserved once the network goes away,
 * then node down once the node stops.
 */
class PrometheusTest {
    static final Path ALERTS = Path.of("src/dist/prometheus/switchboard-alerts.yml");
    static final Path DASHBOARD = Path.of("src/dist/grafana/switchboard-dashboard.json");
    private static final String SHOP = "+919800000001";
    private static final String BROKEN = "+919800000002";
    private static final Pattern METRIC = Pattern.compile("\\b(switchboard_[a-z_]+|up)\\b");
    private static final Duration PATIENCE = Duration.ofSeconds(45); // a loaded machine, and a second of scrape

    @TempDir Path tempDir;

    @Test
    void prometheusScrapesTheNodeAndEveryDashboardQueryRuns() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("node"),
                SimConfig.defaults().withReplyProbability(0))) { // 3 messages in, no replies: exact counts
            String shop = harness.project("Shop");
            harness.number(shop, SHOP, 500);
            List<String> users = harness.network.users();
            List<Map<String, Object>> batch = new ArrayList<>();
            for (String user : users.subList(0, 20)) batch.add(text(SHOP, user, "offer for " + user));
            harness.api.expect(202, "/v1/messages", shop, Map.of("messages", batch));
            for (int i = 0; i < 3; i++) assertThat(harness.network.inject(SHOP, users.get(100 + i), "hello " + i)).isTrue();

            try (PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(tempDir.resolve("prom")),
                    harness.node.httpPort(), harness.adminToken, List.of(ALERTS))) {
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(prometheus.value("up{job=\"switchboard\"}")).as("targets: %s", prometheus.targets())
                            .isEqualTo(1);
                    assertThat(prometheus.value("sum(switchboard_messages_total{number=\"" + SHOP
                            + "\", direction=\"out\", status=\"sent\"})")).as("messages sent").isEqualTo(20);
                    assertThat(prometheus.value("sum(switchboard_messages_total{number=\"" + SHOP
                            + "\", direction=\"in\", status=\"received\"})")).as("messages received").isEqualTo(3);
                    assertThat(prometheus.value("sum(switchboard_webhook_calls_total{kind=\"webhook\"})"))
                            .as("Webhook calls answered").isEqualTo(3);
                });
                assertThat(prometheus.value("switchboard_budget_tps{number=\"" + SHOP + "\"}")).isEqualTo(500);
                assertThat(prometheus.value("switchboard_budget_used_total{number=\"" + SHOP + "\", kind=\"send\"}"))
                        .isEqualTo(20);
                assertThat(prometheus.value("switchboard_shard_connected{number=\"" + SHOP + "\", shard=\"0\"}")).isEqualTo(1);
                assertThat(prometheus.value("switchboard_store_write_errors_total")).isZero();
                assertThat(prometheus.value("switchboard_data_disk_free_bytes")).isPositive()
                        .isLessThanOrEqualTo(prometheus.value("switchboard_data_disk_size_bytes"));

                List<String> queries = dashboardQueries();
                assertThat(queries).as("the dashboard's queries").hasSizeGreaterThanOrEqualTo(15);
                for (String query : queries) prometheus.query(query); // fails on any query Prometheus refuses
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> // rate() needs 2 scrapes
                        assertThat(prometheus.query("sum by (direction, status) (rate(switchboard_messages_total[5m]))"))
                                .as("a dashboard query over the traffic answers").isNotEmpty());

                // A misspelt name would answer nothing rather than fail: each one the dashboard and the rules use
                // must be one the node serves.
                Set<String> names = new TreeSet<>();
                queries.forEach(query -> names.addAll(metricNames(query)));
                names.addAll(metricNames(Files.readString(ALERTS)));
                String served = Scrape.of(harness.node.httpPort(), harness.adminToken).text;
                for (String name : names) {
                    if (name.equals("up")) continue; // Prometheus' own series for each target
                    assertThat(Pattern.compile("(?m)^" + name + "[{ ]").matcher(served).find())
                            .as("%s is on the node's /metrics", name).isTrue();
                }
                assertThat(names).contains("switchboard_store_write_errors_total", "switchboard_data_disk_free_bytes",
                        "switchboard_webhook_latency_seconds_bucket");
            }
        }
    }

    @Test
    void deadLettersShardUnservedAndNodeDownFireInTheRealPrometheus() throws Exception {
        Path rules = shortened(tempDir.resolve("switchboard-alerts.yml"));
        Map<String, Object> settings = Map.of("webhooks.retry-window-s", 1, "webhooks.retry-first-ms", 100);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("node"), SimConfig.defaults(),
                settings)) {
            harness.receiver.answer(call -> call.path().startsWith("/broken") ? new Receiver.Answer(500, "{}")
                    : Receiver.Answer.ok());
            JsonNode broken = harness.createProject("Broken", Map.of("webhook_url",
                    harness.receiver.url("/broken/webhook"), "event_webhook_url", harness.receiver.url("/broken/events")));
            harness.number(broken.get("token").asText(), BROKEN, 500);

            try (PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(tempDir.resolve("prom")),
                    harness.node.httpPort(), harness.adminToken, List.of(rules))) {
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(prometheus.value("up{job=\"switchboard\"}")).as("targets: %s", prometheus.targets())
                                .isEqualTo(1));
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(prometheus.alerts()).as("a healthy node raises no alert").isEmpty());

                assertThat(harness.network.inject(BROKEN, harness.network.users().get(7), "hello")).isTrue();
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(prometheus.alertState("SwitchboardDeadLetters")).isEqualTo("firing"));
                JsonNode deadLetters = alert(prometheus, "SwitchboardDeadLetters");
                assertThat(deadLetters.path("labels").path("project").asText()).isEqualTo(broken.get("id").asText());
                assertThat(deadLetters.path("labels").path("severity").asText()).isEqualTo("warning");
                assertThat(prometheus.alertState("SwitchboardNodeDown")).isEqualTo("inactive");
                assertThat(prometheus.alertState("SwitchboardShardUnserved")).isEqualTo("inactive");

                harness.network.close(); // the WhatsApp end goes away: the node's shard loses its connection
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(prometheus.alertState("SwitchboardShardUnserved")).isEqualTo("firing"));
                JsonNode unserved = alert(prometheus, "SwitchboardShardUnserved");
                assertThat(unserved.path("labels").path("number").asText()).isEqualTo(BROKEN);
                assertThat(unserved.path("labels").path("shard").asText()).isEqualTo("0");
                assertThat(prometheus.alertState("SwitchboardNodeDown")).as("the node still answers").isEqualTo("inactive");

                int port = harness.node.httpPort();
                harness.node.close();
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(prometheus.alertState("SwitchboardNodeDown")).isEqualTo("firing"));
                JsonNode down = alert(prometheus, "SwitchboardNodeDown");
                assertThat(down.path("labels").path("instance").asText()).isEqualTo("127.0.0.1:" + port);
                assertThat(down.path("labels").path("severity").asText()).isEqualTo("critical");
                assertThat(prometheus.value("up{job=\"switchboard\"}")).isZero();
                assertThat(prometheus.log()).as("Prometheus' warnings").doesNotContain("level=error");
            }
        }
    }

    /**
     * The shipped rules with every {@code for:} cut to one second, so that a test sees them fire within seconds; the
     * expressions are the shipped ones.
     */
    static Path shortened(Path copy) throws Exception {
        String shipped = Files.readString(ALERTS);
        Matcher waits = Pattern.compile("(?m)^(\\s+)for: \\S+$").matcher(shipped);
        String rules = waits.replaceAll("$1for: 1s");
        assertThat(waits.reset().results().count()).as("a for: per alert").isEqualTo(7);
        return Files.writeString(copy, rules);
    }

    /**
     * Every {@code expr} of every panel of the shipped dashboard, which must be importable: valid JSON, panels with
     * ids of their own, and every query on the data source chosen at import ({@code DS_PROMETHEUS}).
     */
    static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        List<String> queries = new ArrayList<>();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel %s has an id of its own", panel.path("title")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                queries.add(target.path("expr").asText());
            }
        }
        return queries;
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher found = METRIC.matcher(text);
        while (found.find()) names.add(found.group(1));
        return names;
    }

    private static JsonNode alert(PrometheusServer prometheus, String name) throws Exception {
        for (JsonNode alert : prometheus.alerts()) {
            if (name.equals(alert.path("labels").path("alertname").asText())) return alert;
        }
        throw new AssertionError(name + " is not among " + prometheus.alerts());
    }
}
