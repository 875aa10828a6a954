package io.switchboard.app;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guide's switch: a number's delivery reports off saves the budget they cost. The network then makes no
 * "delivered" report for what the number sends, the Event Webhook hears sent and read only, and PATCH turns the
 * reports back on (and changes the TPS) on the running shards without losing or repeating a message.
 */
class DeliveryReportsTest {
    private static final String NUMBER = "+919800000001";
    private static final SimConfig READERS = SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0.0);

    @TempDir Path tempDir;

    static Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void withDeliveryReportsOffMessagesAreReadWithoutDeliveredEventsUntilAPatchTurnsThemOn(TestStores.Kind kind)
            throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READERS)) {
            String token = harness.project("Campaigns");
            JsonNode created = numberWithoutReports(harness, token, 100, 1);
            assertThat(created.path("delivery_reports").isBoolean()).as("%s", created).isTrue();
            assertThat(created.path("delivery_reports").booleanValue()).isFalse();

            List<String> quiet = send(harness, token, 0, 20);
            Map<String, List<String>> events = awaitRead(harness, quiet);
            assertThat(events).as("events per message").allSatisfy((id, statuses) ->
                    assertThat(statuses).as("message %s", id).containsExactly("sent", "read"));
            JsonNode message = harness.api.get("/v1/messages/" + quiet.getFirst(), token).body();
            assertThat(message.path("statuses").fieldNames()).toIterable().containsExactly("queued", "sent", "read");
            SimStats stats = harness.network.stats();
            assertThat(stats.get(NUMBER, Counter.DELIVERED)).as("reached their users: %s", stats).isEqualTo(20);
            assertThat(stats.get(NUMBER, Counter.DELIVERY_REPORTS)).as("delivered reports made: %s", stats).isZero();
            assertThat(stats.get(NUMBER, Counter.READ)).isEqualTo(20);
            JsonNode listed = harness.api.get("/v1/numbers", token).body().path("numbers").get(0);
            assertThat(listed.path("delivery_reports").booleanValue()).as("%s", listed).isFalse();
            assertThat(listed.path("budget_used").path("delivery_report").asLong()).as("%s", listed).isZero();

            ApiClient.Answer patched = harness.api.patch("/v1/numbers/" + NUMBER, token, Map.of("delivery_reports", true));
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
            assertThat(patched.body().path("delivery_reports").booleanValue()).isTrue();
            assertThat(patched.body().path("tps").asInt()).isEqualTo(100);

            List<String> reported = send(harness, token, 20, 10);
            Map<String, List<String>> later = awaitRead(harness, reported);
            assertThat(later).as("events per message").allSatisfy((id, statuses) ->
                    assertThat(statuses).as("message %s", id).containsExactly("sent", "delivered", "read"));
            assertThat(harness.network.stats().get(NUMBER, Counter.DELIVERY_REPORTS)).isEqualTo(10);
            assertThat(statusesById(harness)).as("the first messages got nothing more")
                    .containsAllEntriesOf(events);
            assertThat(harness.api.get("/v1/numbers", token).body().path("numbers").get(0)
                    .path("delivery_reports").booleanValue()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aPatchDuringACampaignAppliesTheNewTpsAtOnceAndLosesOrRepeatsNoMessage(TestStores.Kind kind)
            throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READERS)) {
            String token = harness.project("Campaigns");
            numberWithoutReports(harness, token, 20, 2);
            // 60 messages and their 60 read reports need 6 s at 20 TPS; the PATCH comes after about one.
            List<String> ids = send(harness, token, 0, 60);
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.stats().get(NUMBER, Counter.READ) >= 5);

            long patchedAt = System.nanoTime();
            ApiClient.Answer patched = harness.api.patch("/v1/numbers/%2B" + NUMBER.substring(1), token,
                    Map.of("tps", 400, "delivery_reports", true));
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
            assertThat(patched.body().path("tps").asInt()).isEqualTo(400);
            assertThat(harness.node.engine().line(NUMBER).orElseThrow().shards().running()).extracting(w -> w.budget().tps())
                    .as("400 TPS split over 2 shards").containsExactly(200.0, 200.0);

            Map<String, List<String>> events = awaitRead(harness, ids);
            double seconds = (System.nanoTime() - patchedAt) / 1e9;
            SimStats stats = harness.network.stats();
            assertThat(seconds).as("the rest of the campaign at 400 TPS, not 20 (%s)", stats).isLessThan(3.0);
            assertThat(events).as("each message once sent, once read, delivered only if sent after the PATCH")
                    .allSatisfy((id, statuses) -> assertThat(statuses).as("message %s", id)
                            .isIn(List.of("sent", "read"), List.of("sent", "delivered", "read")));
            long delivered = events.values().stream().filter(s -> s.contains("delivered")).count();
            assertThat(delivered).as("delivered events, one per report the network made: %s", stats)
                    .isEqualTo(stats.get(NUMBER, Counter.DELIVERY_REPORTS)).isPositive().isLessThan(60);
            assertThat(stats.get(NUMBER, Counter.LOGINS)).as("each shard logged in again: %s", stats).isEqualTo(4);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(harness.network.received(harness.network.users().get(i))).extracting(UserMessage::messageId)
                        .as("what user %d received", i).containsExactly(Ids.parse(ids.get(i)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aDeliveredReportThatArrivesAfterReportsWereTurnedOffMovesTheStatusButMakesNoEvent(TestStores.Kind kind)
            throws Exception {
        // Delivery takes a second and a half: the PATCH comes while every delivered report is still on its way.
        try (Harness harness = new Harness(kind, tempDir, READERS.withDeliverMillis(1_500))) {
            String token = harness.project("Campaigns");
            harness.number(token, NUMBER, 100);
            List<String> ids = send(harness, token, 0, 5);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                    assertThat(statusesById(harness).getOrDefault(id, List.of())).contains("sent")));
            assertThat(harness.network.stats().get(NUMBER, Counter.DELIVERY_REPORTS)).isZero();

            ApiClient.Answer patched = harness.api.patch("/v1/numbers/" + NUMBER, token, Map.of("delivery_reports", false));
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);

            Map<String, List<String>> events = awaitRead(harness, ids);
            assertThat(harness.network.stats().get(NUMBER, Counter.DELIVERY_REPORTS))
                    .as("the network made them: they were sent with reports on").isEqualTo(5);
            assertThat(events).allSatisfy((id, statuses) ->
                    assertThat(statuses).as("message %s", id).containsExactly("sent", "read"));
            JsonNode message = harness.api.get("/v1/messages/" + ids.getFirst(), token).body();
            assertThat(message.path("statuses").fieldNames()).toIterable().as("%s", message)
                    .containsExactly("queued", "sent", "delivered", "read");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aBadPatchIsRefusedAndChangesNothing(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READERS)) {
            String token = harness.project("Mine");
            harness.number(token, NUMBER, 50);
            String other = harness.project("Someone else's");
            harness.number(other, "+919800000002", 50);
            await().until(() -> harness.network.stats().get(Counter.LOGINS) == 2);
            String path = "/v1/numbers/" + NUMBER;

            expectError(harness.api.patch(path, token, Map.of("delivery_reports", "no")), 400, "invalid_boolean",
                    "delivery_reports");
            expectError(harness.api.patch(path, token, Map.of("delivery_reports", 0)), 400, "invalid_boolean",
                    "delivery_reports");
            expectError(harness.api.patch(path, token, "{\"delivery_reports\": null}"), 400, "invalid_boolean",
                    "delivery_reports");
            expectError(harness.api.patch(path, token, Map.of("tps", 0)), 400, "out_of_range", "tps");
            expectError(harness.api.patch(path, token, Map.of("tps", 1_000_001)), 400, "out_of_range", "tps");
            expectError(harness.api.patch(path, token, Map.of("tps", 2.5)), 400, "out_of_range", "tps");
            expectError(harness.api.patch(path, token, Map.of("tps", 80, "delivery_reports", "off")), 400,
                    "invalid_boolean", "delivery_reports");
            expectError(harness.api.patch(path, token, "{\"tps\": "), 400, "invalid_json", null);
            expectError(harness.api.patch("/v1/numbers/+919800000002", token, Map.of("delivery_reports", false)), 404,
                    "not_found", null);
            expectError(harness.api.patch("/v1/numbers/+919811111111", token, Map.of("tps", 10)), 404, "not_found",
                    null);
            expectError(harness.api.patch(path, "sb_not-a-token", Map.of("tps", 10)), 401, "unauthorized", null);
            expectError(harness.api.patch(path, token, Map.of("shards", 3, "tps", 60)), 400, "invalid_shards", "shards");
            ApiClient.Answer ignored = harness.api.patch(path, token, Map.of("colour", "blue"));
            assertThat(ignored.status()).as("unknown fields are ignored: %s", ignored.body()).isEqualTo(200);

            assertThat(harness.api.get("/v1/numbers", token).body().path("numbers")).singleElement().satisfies(n -> {
                assertThat(n.path("tps").asInt()).isEqualTo(50);
                assertThat(n.path("shards").asInt()).isEqualTo(1);
                assertThat(n.path("delivery_reports").booleanValue()).isTrue();
            });
            assertThat(harness.api.get("/v1/numbers", other).body().path("numbers").get(0)
                    .path("delivery_reports").booleanValue()).isTrue();
            assertThat(harness.node.engine().line(NUMBER).orElseThrow().shards().running())
                    .extracting(w -> w.budget().tps()).containsExactly(50.0);
            assertThat(harness.network.stats().get(Counter.LOGINS)).as("nobody logged in again").isEqualTo(2);
            expectError(harness.api.post("/v1/numbers", token, Map.of("number", "+919800000003",
                    "delivery_reports", "yes")), 400, "invalid_boolean", "delivery_reports");
            assertThat(harness.api.get("/v1/numbers", token).body().path("numbers")).hasSize(1);
        }
    }

    private static void expectError(ApiClient.Answer answer, int status, String code, String field) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asText()).as("%s", answer.body()).isEqualTo(code);
        if (field == null) assertThat(error.has("field")).as("%s", answer.body()).isFalse();
        else assertThat(error.path("field").asText()).as("%s", answer.body()).isEqualTo(field);
    }

    private static JsonNode numberWithoutReports(Harness harness, String token, int tps, int shards) throws Exception {
        return harness.api.expect(201, "/v1/numbers", token,
                Map.of("number", NUMBER, "tps", tps, "shards", shards, "delivery_reports", false));
    }

    /** Queues one message to each of {@code count} users from the population, from {@code first} on; their ids. */
    private static List<String> send(Harness harness, String token, int first, int count) throws Exception {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            messages.add(text(NUMBER, harness.network.users().get(i), "offer " + i));
        }
        List<String> ids = new ArrayList<>();
        harness.api.expect(202, "/v1/messages", token, Map.of("messages", messages)).path("messages")
                .forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    /** Waits until the Event Webhook heard "read" for every one of {@code ids}; their events, a little later. */
    private static Map<String, List<String>> awaitRead(Harness harness, List<String> ids) throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, List<String>> heard = statusesById(harness);
            assertThat(ids).allSatisfy(id -> assertThat(heard.getOrDefault(id, List.of())).as("events of %s", id)
                    .contains("read"));
        });
        Thread.sleep(200); // longer than the event batch delay: an event after the read, if any, is here by now
        Map<String, List<String>> all = statusesById(harness);
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (String id : ids) wanted.put(id, all.get(id));
        return wanted;
    }

    /** Every status the Event Webhook heard, per message id, in arrival order. */
    private static Map<String, List<String>> statusesById(Harness harness) {
        Map<String, List<String>> byId = new LinkedHashMap<>();
        for (JsonNode event : harness.receiver.events("/events")) {
            byId.computeIfAbsent(event.path("message_id").asText(), id -> new ArrayList<>())
                    .add(event.path("status").asText());
        }
        return byId;
    }
}
