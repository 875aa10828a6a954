package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.map;
import static io.switchboard.app.messages.Messaging.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's history ({@code GET /v1/messages}) and its export, on each store: every filter alone and combined
 * selects exactly the messages it names, items are those of {@code GET /v1/messages/{id}}, newest first; pages walked
 * while messages arrive lose and repeat nothing; bad filters are 400s naming the parameter; another project's
 * messages never show; the export streams every message (past its read batches) as JSON lines.
 */
class HistoryTest {
    private static final String NUMBER_2 = "+919800000002";
    private static final String OTHERS_NUMBER = "+919800000003";
    private static final String U1 = "+15550000041";
    private static final String U2 = "+15550000042";
    private static final String U3 = "+15550000043";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void historyIsFilteredPagedWithoutLossOrRepeatAndExportedWhole(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Shop", 1_000)) {
            Harness harness = node.harness();
            String token = node.token();
            Http http = new Http(harness.node.httpPort());
            harness.number(token, NUMBER_2, 1_000);
            String other = harness.project("Other");
            harness.number(other, OTHERS_NUMBER, 100);
            String othersId = send(harness, other, text(OTHERS_NUMBER, U1, "the other project's"));

            long tomorrow = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
            List<String> early = new ArrayList<>();
            // One request: messages stored together, likely at the same millisecond (the cursor's tie on id).
            JsonNode batch = harness.api.expect(202, "/v1/messages", token, map("messages", List.of(
                    text(NUMBER, U1, "one"), text(NUMBER, U2, "two"), text(NUMBER_2, U1, "three"))));
            batch.path("messages").forEach(m -> early.add(m.path("id").asText()));
            String scheduled1 = send(harness, token, withSchedule(text(NUMBER, U2, "later"), tomorrow));
            String scheduled2 = send(harness, token, withSchedule(text(NUMBER_2, U2, "later too"), tomorrow));
            String cancelled = send(harness, token, withSchedule(text(NUMBER, U1, "never"), tomorrow));
            assertThat(http.call("DELETE", "/v1/messages/" + cancelled, token, null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, U1, "hello"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER_2, U3, "hi"));
            List<String> incoming = await().atMost(Duration.ofSeconds(10)).until(
                    () -> ids(http.call("GET", "/v1/messages?direction=in", token, null).body()), list -> list.size() == 2);
            early.addAll(List.of(scheduled1, scheduled2, cancelled));
            early.addAll(incoming);
            Thread.sleep(30);
            String between = Instant.now().toString();
            Thread.sleep(30);
            List<String> late = new ArrayList<>();
            for (String user : List.of(U1, U3)) late.add(send(harness, token, text(NUMBER_2, user, "news")));
            List<String> everything = new ArrayList<>(early);
            everything.addAll(late);
            // Every outgoing message not waiting has reached the network and its user (who never reads).
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(http.call("GET", "/v1/messages?status=delivered", token,
                    null).body()).size() == 5);

            List<JsonNode> all = walk(http, token, "", 4, () -> {});
            assertThat(all.stream().map(m -> m.path("id").asText()).toList())
                    .containsExactlyInAnyOrderElementsOf(everything).doesNotContain(othersId);
            assertThat(all).as("newest first, then by id").isSortedAccordingTo(
                    Comparator.comparing((JsonNode m) -> created(m)).thenComparing(m -> m.path("id").asText()).reversed());
            for (JsonNode item : all) {
                assertThat(item).as("the item as GET /v1/messages/{id} shows it")
                        .isEqualTo(http.call("GET", "/v1/messages/" + item.path("id").asText(), token, null).body());
            }

            // Each filter, alone and combined, selects exactly what it names.
            assertFilter(http, token, all, "number=" + enc(NUMBER_2), m -> involves(m, NUMBER_2));
            assertFilter(http, token, all, "user=" + enc(U1), m -> involves(m, U1));
            assertFilter(http, token, all, "direction=in", m -> m.path("direction").asText().equals("in"));
            assertFilter(http, token, all, "direction=out", m -> m.path("direction").asText().equals("out"));
            for (String status : List.of("scheduled", "cancelled", "received", "delivered")) {
                assertFilter(http, token, all, "status=" + status, m -> m.path("status").asText().equals(status));
            }
            assertThat(ids(http.call("GET", "/v1/messages?status=scheduled", token, null).body()))
                    .containsExactlyInAnyOrder(scheduled1, scheduled2);
            for (String none : List.of("queued", "read", "sent", "failed", "expired")) {
                assertThat(ids(http.call("GET", "/v1/messages?status=" + none, token, null).body())).as(none).isEmpty();
            }
            assertFilter(http, token, all, "since=" + between, m -> late.contains(m.path("id").asText()));
            assertFilter(http, token, all, "until=" + between, m -> early.contains(m.path("id").asText()));
            assertFilter(http, token, all, "since=" + enc(Instant.parse(between).atOffset(java.time.ZoneOffset.ofHours(5))
                    .toString()), m -> late.contains(m.path("id").asText()));
            assertFilter(http, token, all, "number=" + enc(NUMBER_2) + "&status=scheduled&user=" + enc(U2),
                    m -> m.path("id").asText().equals(scheduled2));
            assertFilter(http, token, all, "user=" + enc(U1) + "&direction=out&until=" + between,
                    m -> involves(m, U1) && m.path("direction").asText().equals("out") && early.contains(m.path("id").asText()));
            assertThat(ids(http.call("GET", "/v1/messages?user=" + enc("+15559999999"), token, null).body())).isEmpty();

            // Walked while messages arrive: each message that was there is met exactly once; newer ones wait for a new walk.
            List<String> arrived = new ArrayList<>();
            List<String> walked = walk(http, token, "", 2, () -> arrived.add(send(harness, token, text(NUMBER, U3, "more"))))
                    .stream().map(m -> m.path("id").asText()).toList();
            assertThat(walked).containsExactlyElementsOf(all.stream().map(m -> m.path("id").asText()).toList());
            assertThat(arrived).hasSizeGreaterThan(3);
            assertThat(ids(http.call("GET", "/v1/messages?limit=" + arrived.size(), token, null).body()))
                    .as("the newest first").containsExactlyInAnyOrderElementsOf(arrived);

            // Bad filters: 400 naming the parameter, on both routes; another project's number is not found.
            for (String route : List.of("/v1/messages", "/v1/messages/export")) {
                Map<String, String> bad = Map.ofEntries(Map.entry("direction=sideways", "direction"),
                        Map.entry("status=lost", "status"), Map.entry("status=RECEIVED", "status"),
                        Map.entry("since=yesterday", "since"), Map.entry("until=2026-13-01T00:00:00Z", "until"),
                        Map.entry("since=" + enc("+1000000000-01-01T00:00:00Z"), "since"),
                        Map.entry("since=" + between + "&until=" + between, "until"),
                        Map.entry("number=12345", "number"), Map.entry("number=+919800000001", "number"),
                        Map.entry("user=bob", "user"), Map.entry("status=received&direction=out", "status"));
                for (Map.Entry<String, String> query : bad.entrySet()) {
                    Http.Answer answer = http.call("GET", route + "?" + query.getKey(), token, null);
                    assertThat(List.of(answer.status(), answer.body().path("error").path("field").asText()))
                            .as(route + "?" + query.getKey() + ": " + answer.body()).isEqualTo(List.of(400, query.getValue()));
                }
                Http.Answer theirs = http.call("GET", route + "?number=" + enc(OTHERS_NUMBER), token, null);
                assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(404, "not_found"));
            }
            for (String query : List.of("limit=0", "limit=1001", "limit=many", "after=x", "after=" + "A".repeat(65),
                    "after=" + "A".repeat(23))) {
                Http.Answer answer = http.call("GET", "/v1/messages?" + query, token, null);
                assertThat(List.of(answer.status(), answer.body().path("error").path("field").asText()))
                        .as(query + ": " + answer.body()).isEqualTo(List.of(400, query.split("=")[0]));
            }

            // The export: the same items, one a line, filtered the same way.
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(http.call("GET", "/v1/messages?status=delivered", token,
                    null).body()).size() == 5 + arrived.size());
            List<JsonNode> listedNow = walk(http, token, "", 1_000, () -> {});
            assertThat(export(harness, token, "").lines()).isEqualTo(listedNow);
            assertThat(export(harness, token, "?direction=in&number=" + enc(NUMBER)).lines())
                    .isEqualTo(walk(http, token, "direction=in&number=" + enc(NUMBER), 1_000, () -> {}));
            assertThat(export(harness, other, "").lines()).extracting(m -> m.path("id").asText()).containsExactly(othersId);

            // Past the export's read batches: every message once, streamed (chunked, no length known ahead).
            int bulk = 1_234;
            List<Map<String, Object>> many = new ArrayList<>();
            for (int i = 0; i < bulk; i++) many.add(withSchedule(text(NUMBER, U3, "bulk " + i), tomorrow));
            harness.api.expect(202, "/v1/messages", token, map("messages", many.subList(0, 1_000)));
            harness.api.expect(202, "/v1/messages", token, map("messages", many.subList(1_000, bulk)));
            Exported whole = export(harness, token, "?status=scheduled");
            assertThat(whole.contentType()).startsWith("application/x-ndjson");
            assertThat(whole.chunked()).as("streamed").isTrue();
            List<String> exportedIds = whole.lines().stream().map(m -> m.path("id").asText()).toList();
            assertThat(exportedIds).hasSize(bulk + 2).doesNotHaveDuplicates().contains(scheduled1, scheduled2);
            assertThat(whole.lines()).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("scheduled"));
            assertThat(export(harness, token, "").lines()).hasSize(everything.size() + arrived.size() + bulk);
        }
    }

    @org.junit.jupiter.api.Test
    void anExportTheStoreFailsPartWayIsCutShortNotEndedAsIfWhole() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Shop", 1_000)) {
            Harness harness = node.harness();
            long tomorrow = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
            List<Map<String, Object>> many = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) many.add(withSchedule(text(NUMBER, U1, "offer " + i), tomorrow));
            // Far more than the sockets between the node and this client hold, so the node is still writing when the
            // store goes away.
            int messages = 40_000;
            for (int sent = 0; sent < messages; sent += many.size()) {
                harness.api.expect(202, "/v1/messages", node.token(), map("messages", many));
            }
            HttpResponse<java.io.InputStream> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort()
                            + "/v1/messages/export")).header("Authorization", "Bearer " + node.token()).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.statusCode()).isEqualTo(200);
            int lines = 0;
            Exception cut = null;
            try (java.io.BufferedReader body = new java.io.BufferedReader(new java.io.InputStreamReader(answer.body(),
                    StandardCharsets.UTF_8)); java.sql.Connection store = harness.storeConnection()) {
                assertThat(JSON.readTree(body.readLine()).path("status").asText()).isEqualTo("scheduled");
                lines++;
                try (var statement = store.createStatement()) {
                    statement.execute("ALTER TABLE messages RENAME TO messages_away");
                }
                try {
                    for (String line = body.readLine(); line != null; line = body.readLine()) {
                        assertThat(JSON.readTree(line).has("error")).as("no error among the messages").isFalse();
                        lines++;
                    }
                } catch (java.io.IOException e) {
                    cut = e;
                } finally {
                    try (var statement = store.createStatement()) {
                        statement.execute("ALTER TABLE messages_away RENAME TO messages");
                    }
                }
            }
            assertThat(lines).isLessThan(messages);
            assertThat(cut).as("the client sees an incomplete answer after %s lines", lines).isNotNull();
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Every item, page after page of {@code limit}, doing {@code between} after each page. */
    private static List<JsonNode> walk(Http http, String token, String query, int limit, Step between) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 200; pages++) {
            String path = "/v1/messages?limit=" + limit + (query.isEmpty() ? "" : "&" + query)
                    + (after == null ? "" : "&after=" + enc(after));
            Http.Answer page = http.call("GET", path, token, null);
            assertThat(page.status()).as(path + ": " + page.body()).isEqualTo(200);
            assertThat(page.body().path("messages").size()).isLessThanOrEqualTo(limit);
            page.body().path("messages").forEach(items::add);
            if (page.body().path("next").isNull()) return items;
            after = page.body().path("next").asText();
            between.run();
        }
        throw new AssertionError("the history did not end within 200 pages");
    }

    /** The filtered history is exactly the items of the whole one that {@code expected} accepts, in the same order. */
    private static void assertFilter(Http http, String token, List<JsonNode> all, String query, Predicate<JsonNode> expected)
            throws Exception {
        List<String> want = all.stream().filter(expected).map(m -> m.path("id").asText()).toList();
        List<String> got = walk(http, token, query, 2, () -> {}).stream().map(m -> m.path("id").asText()).toList();
        assertThat(got).as(query).isEqualTo(want);
        assertThat(new HashSet<>(got)).as(query + " selects something and not everything")
                .isNotEmpty().hasSizeLessThan(new HashSet<>(all).size());
    }

    record Exported(String contentType, boolean chunked, List<JsonNode> lines) {}

    private static Exported export(Harness harness, String token, String query) throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + "/v1/messages/export"
                        + query)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body().isEmpty() || answer.body().endsWith("\n")).as("every line ends").isTrue();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : answer.body().split("\n")) if (!line.isEmpty()) lines.add(JSON.readTree(line));
        return new Exported(answer.headers().firstValue("Content-Type").orElse(""),
                answer.headers().firstValue("Transfer-Encoding").map(v -> v.contains("chunked")).orElse(false), lines);
    }

    private static String send(Harness harness, String token, Map<String, Object> message) throws Exception {
        return Messaging.firstId(harness.api.expect(202, "/v1/messages", token, message));
    }

    private static Map<String, Object> text(String from, String to, String body) {
        return map("from", from, "to", to, "type", "text", "text", map("body", body));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("messages").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static boolean involves(JsonNode message, String number) {
        return message.path("from").asText().equals(number) || message.path("to").asText().equals(number);
    }

    private static Instant created(JsonNode message) {
        JsonNode statuses = message.path("statuses");
        return Instant.parse(statuses.has("queued") ? statuses.path("queued").asText() : statuses.path("received").asText());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
