package io.switchboard.app.observe;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.testing.Scrape;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /metrics} read by an independent Prometheus text-format parser after real traffic (a campaign, users who
 * read and reply, a project whose Webhook fails until its calls are dead letters): every count agrees with the
 * store, read with SQL of the test's own, and with the API.
 */
class MetricsTest {
    private static final String SHOP = "+919800000001";
    private static final String BROKEN = "+919800000002";
    private static final String[] STATUSES = {"queued", "sent", "delivered", "read", "failed"};
    private static final SimConfig USERS = SimConfig.defaults().withReadProbability(0.6).withReplyProbability(0.3)
            .withReadMillis(100).withReplyMillis(100);

    @TempDir Path tempDir;

    static Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void metricsParseAndTheirCountsAgreeWithTheStore(TestStores.Kind kind) throws Exception {
        Map<String, Object> settings = Map.of("webhooks.retry-window-s", 1, "webhooks.retry-first-ms", 100);
        try (Harness harness = new Harness(kind, tempDir, USERS, settings)) {
            harness.receiver.answer(call -> call.path().startsWith("/broken") ? new Receiver.Answer(500, "{}")
                    : Receiver.Answer.ok());
            String shop = harness.project("Shop");
            harness.number(shop, SHOP, 500);
            JsonNode broken = harness.createProject("Broken", Map.of("webhook_url", harness.receiver.url("/broken/webhook"),
                    "event_webhook_url", harness.receiver.url("/broken/events")));
            harness.number(broken.get("token").asText(), BROKEN, 500);

            List<String> users = harness.network.users();
            send(harness, shop, SHOP, users.subList(0, 40));
            send(harness, broken.get("token").asText(), BROKEN, users.subList(40, 50));
            for (int i = 0; i < 5; i++) {
                assertThat(harness.network.inject(SHOP, users.get(100 + i), "hello " + i)).isTrue();
                assertThat(harness.network.inject(BROKEN, users.get(200 + i), "hi " + i)).isTrue();
            }

            Map<String, Long> expected = new LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Scrape before = Scrape.of(harness.node.httpPort(), harness.adminToken);
                Map<String, Long> store = storeCounts(harness);
                Scrape after = Scrape.of(harness.node.httpPort(), harness.adminToken);
                assertThat(counts(before)).as("quiet: two scrapes agree").isEqualTo(counts(after));
                assertThat(after.count("switchboard_webhook_backlog", "project", shopId(harness, shop))).isZero();
                assertThat(after.count("switchboard_webhook_backlog", "project", broken.get("id").asText())).isZero();
                assertThat(counts(after)).as("/metrics against the store").isEqualTo(store);
                expected.clear();
                expected.putAll(store);
            });

            Scrape scrape = Scrape.of(harness.node.httpPort(), harness.adminToken);
            assertThat(expected).containsEntry(SHOP + " out queued", 40L).containsEntry(BROKEN + " out queued", 10L)
                    .containsEntry(SHOP + " out sent", 40L);
            assertThat(expected.get(SHOP + " in received")).as("5 written in, and the users' replies").isGreaterThan(5);
            assertThat(expected.get(BROKEN + " dead letters")).as("the broken project's calls").isGreaterThanOrEqualTo(5);

            for (String number : List.of(SHOP, BROKEN)) {
                JsonNode listed = numberFromApi(harness, number.equals(SHOP) ? shop : broken.get("token").asText(), number);
                for (String kindLabel : List.of("send", "receive", "delivery_report", "read_report")) {
                    assertThat(scrape.count("switchboard_budget_used_total", "number", number, "kind", kindLabel))
                            .as("%s %s against the API: %s", number, kindLabel, listed)
                            .isEqualTo(listed.path("budget_used").path(kindLabel).asLong());
                }
                for (String priority : List.of("urgent", "high", "normal", "low")) {
                    assertThat(scrape.count("switchboard_queue_depth", "number", number, "priority", priority))
                            .isEqualTo(listed.path("queue").path(priority).asLong());
                }
                assertThat(scrape.count("switchboard_budget_tps", "number", number)).isEqualTo(500);
                assertThat(scrape.count("switchboard_shard_connected", "number", number, "shard", "0",
                        "node", harness.node.name())).isEqualTo(1);
            }
            assertThat(scrape.count("switchboard_budget_used_total", "number", SHOP, "kind", "send"))
                    .as("every message sent paid one token").isEqualTo(expected.get(SHOP + " out sent"));

            String shopId = shopId(harness, shop);
            Histogram webhook = scrape.histogram("switchboard_webhook_latency_seconds", "project", shopId, "kind", "webhook")
                    .orElseThrow(() -> new AssertionError("no webhook latency for " + shopId + " in\n" + scrape.text));
            assertThat(webhook.getSampleCount()).as("one observation per Webhook call taken")
                    .isEqualTo(harness.receiver.calls("/webhook").size());
            assertThat(webhook.getBuckets()).as("cumulative buckets").isSortedAccordingTo(
                    (a, b) -> Long.compare(a.getCumulativeCount(), b.getCumulativeCount()));
            assertThat(webhook.getBuckets().getLast().getUpperBound()).isInfinite();
            assertThat(webhook.getBuckets().getLast().getCumulativeCount()).isEqualTo(webhook.getSampleCount());
            Histogram events = scrape.histogram("switchboard_webhook_latency_seconds", "project", shopId,
                    "kind", "event_webhook").orElseThrow();
            assertThat(events.getSampleCount()).as("one observation per event delivered")
                    .isEqualTo(harness.receiver.events("/events").size());
            assertThat(scrape.count("switchboard_webhook_calls_total", "kind", "webhook"))
                    .isEqualTo(harness.receiver.calls("/webhook").size());
            assertThat(scrape.count("switchboard_webhook_failed_calls_total")).isPositive();

            assertNamesFollowPrometheusConventions(scrape);
        }
    }

    @Test
    void metricsNeedTheAdminTokenUnlessOpened() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            String project = harness.project("Shop");
            assertThat(Scrape.get(harness.node.httpPort(), null).statusCode()).isEqualTo(401);
            assertThat(Scrape.get(harness.node.httpPort(), project).statusCode()).as("a project's token").isEqualTo(401);
            HttpResponse<String> admin = Scrape.get(harness.node.httpPort(), harness.adminToken);
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        }
        try (Harness open = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("open"), SimConfig.defaults(),
                Map.of("metrics.open", true))) {
            assertThat(Scrape.get(open.node.httpPort(), null).statusCode()).isEqualTo(200);
        }
    }

    private static void assertNamesFollowPrometheusConventions(Scrape scrape) {
        assertThat(scrape.families()).isNotEmpty();
        for (MetricFamily family : scrape.families().values()) {
            assertThat(family.getName()).matches("switchboard_[a-z_]+");
            assertThat(family.getHelp()).as("help of %s", family.getName()).isNotBlank();
            if (family.getType() == MetricType.COUNTER) assertThat(family.getName()).endsWith("_total");
            else assertThat(family.getName()).doesNotEndWith("_total");
        }
        assertThat(scrape.families()).containsKeys("switchboard_budget_used_total", "switchboard_queue_depth",
                "switchboard_messages_total", "switchboard_webhook_backlog", "switchboard_webhook_latency_seconds",
                "switchboard_dead_letters", "switchboard_budget_tps", "switchboard_shard_connected",
                "switchboard_store_write_errors_total", "switchboard_data_disk_free_bytes", "switchboard_data_disk_size_bytes");
        assertThat(scrape.families().get("switchboard_webhook_latency_seconds").getType()).isEqualTo(MetricType.HISTOGRAM);
    }

    private static void send(Harness harness, String token, String from, List<String> to) throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (String user : to) batch.add(text(from, user, "offer for " + user));
        harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
    }

    private static String shopId(Harness harness, String token) throws Exception {
        return harness.api.get("/v1/project", token).body().get("id").asText();
    }

    private static JsonNode numberFromApi(Harness harness, String token, String number) throws Exception {
        for (JsonNode listed : harness.api.get("/v1/numbers", token).body().path("numbers")) {
            if (listed.path("number").asText().equals(number)) return listed;
        }
        throw new AssertionError(number + " is not listed");
    }

    /** The figures the test compares, from /metrics: messages per status and dead letters, by number. */
    private static Map<String, Long> counts(Scrape scrape) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String number : List.of(SHOP, BROKEN)) {
            for (String status : STATUSES) {
                counts.put(number + " out " + status, scrape.count("switchboard_messages_total", "number", number,
                        "direction", "out", "status", status));
            }
            counts.put(number + " in received", scrape.count("switchboard_messages_total", "number", number,
                    "direction", "in", "status", "received"));
        }
        counts.put(SHOP + " dead letters", deadLetters(scrape, SHOP));
        counts.put(BROKEN + " dead letters", deadLetters(scrape, BROKEN));
        return counts;
    }

    private static long deadLetters(Scrape scrape, String number) {
        // The one project each number belongs to: its series is the only one whose project owns the number.
        return scrape.families().get("switchboard_dead_letters").getMetrics().stream()
                .filter(m -> m.getLabels().get("project").equals(projectOf.get(number)))
                .mapToLong(m -> Math.round(((org.hawkular.agent.prometheus.types.Gauge) m).getValue())).sum();
    }

    private static final Map<String, String> projectOf = new java.util.concurrent.ConcurrentHashMap<>();

    /** The same figures, counted in the store with the test's own SQL. */
    private static Map<String, Long> storeCounts(Harness harness) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = harness.storeConnection()) {
            for (String number : List.of(SHOP, BROKEN)) {
                try (PreparedStatement s = c.prepareStatement("SELECT project_id, "
                        + "SUM(CASE WHEN direction = 'o' AND type <> 'invalid' THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN direction = 'o' AND sent_at IS NOT NULL THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN direction = 'o' AND delivered_at IS NOT NULL THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN direction = 'o' AND read_at IS NOT NULL THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN direction = 'o' AND failed_at IS NOT NULL THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN direction = 'i' THEN 1 ELSE 0 END) FROM messages WHERE number = ? GROUP BY project_id")) {
                    s.setString(1, number);
                    try (ResultSet row = s.executeQuery()) {
                        assertThat(row.next()).as("messages of %s in the store", number).isTrue();
                        projectOf.put(number, row.getString(1));
                        for (int i = 0; i < STATUSES.length; i++) counts.put(number + " out " + STATUSES[i], row.getLong(2 + i));
                        counts.put(number + " in received", row.getLong(7));
                    }
                }
            }
            for (String number : List.of(SHOP, BROKEN)) {
                try (PreparedStatement s = c.prepareStatement("SELECT (SELECT COUNT(*) FROM messages WHERE hook_state = 2 "
                        + "AND project_id = ?) + (SELECT COUNT(*) FROM events WHERE state = 2 AND project_id = ?)")) {
                    s.setString(1, projectOf.get(number));
                    s.setString(2, projectOf.get(number));
                    try (ResultSet row = s.executeQuery()) {
                        row.next();
                        counts.put(number + " dead letters", row.getLong(1));
                    }
                }
            }
        }
        return counts;
    }
}
