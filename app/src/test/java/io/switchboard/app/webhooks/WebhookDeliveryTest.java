package io.switchboard.app.webhooks;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The customer's server misbehaving in every way a real one does (down, slow, failing, gone, flapping) against a
 * real node, the simulated network and a real HTTP receiver: nothing is lost, each user's messages arrive in order,
 * the concurrency cap holds, the circuit opens and closes, and dead letters are kept and replayed.
 */
class WebhookDeliveryTest {
    private static final String NUMBER = "+919800000001";
    /** Short retries so the tests see many of them; the circuit opens after 5 failures in a row. */
    private static final Map<String, Object> QUICK_RETRIES = Map.of("webhooks.retry-first-ms", 100,
            "webhooks.retry-max-ms", 400, "webhooks.circuit-failures", 5);

    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    private Harness harness(Map<String, Object> settings) throws Exception {
        return new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(), settings);
    }

    private static JsonNode endpoint(Harness harness, String token, String kind) throws Exception {
        for (JsonNode endpoint : harness.api.get("/v1/webhooks", token).body().path("endpoints")) {
            if (endpoint.path("kind").asText().equals(kind)) return endpoint;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static long distinctTaken(Harness harness, String path) {
        return harness.receiver.calls(path).stream().map(Receiver.Call::webhookId).distinct().count();
    }

    @Test
    void aReceiverThatIsDownLosesNothingAndEachUsersMessagesArriveInOrder() throws Exception {
        try (Harness harness = harness(QUICK_RETRIES)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.down();
            UsersWritingIn.inject(harness, NUMBER, 5, 20);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(endpoint(harness, token, "webhook").path("circuit").asText()).isEqualTo("open"));
            harness.receiver.up();

            await().atMost(Duration.ofSeconds(20)).until(() -> distinctTaken(harness, "/webhook") == 100);
            UsersWritingIn.assertEveryUserInOrder(harness, 5, 20);
            JsonNode webhook = endpoint(harness, token, "webhook");
            assertThat(webhook.path("circuit").asText()).isEqualTo("closed");
            assertThat(webhook.path("recoveries").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(webhook.path("waiting").asInt()).isZero();
        }
    }

    @Test
    void anEndpointFailingEveryCallIsProbedNotHammeredAndGetsEverythingWhenItRecovers() throws Exception {
        try (Harness harness = harness(QUICK_RETRIES)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.answer(call -> new Receiver.Answer(500, "{}"));
            UsersWritingIn.inject(harness, NUMBER, 50, 1);

            Thread.sleep(3_000);
            // Without the circuit, 50 users retrying every 100-400 ms for 3 s would make about 500 calls.
            assertThat(harness.receiver.attempts("/webhook")).hasSizeLessThan(60);
            assertThat(endpoint(harness, token, "webhook").path("circuit").asText()).isIn("open", "probing");

            harness.receiver.answer(call -> Receiver.Answer.ok());
            await().atMost(Duration.ofSeconds(15)).until(() -> distinctTaken(harness, "/webhook") == 50);
            assertThat(endpoint(harness, token, "webhook").path("circuit").asText()).isEqualTo("closed");
        }
    }

    @Test
    void aSlowReceiverNeverHasMoreCallsAtOnceThanTheProjectsCap() throws Exception {
        try (Harness harness = harness(Map.of())) {
            String token = harness.createProject("Shop", Map.of("webhook_concurrency", 3)).get("token").asText();
            harness.number(token, NUMBER, 1_000);
            harness.receiver.answer(call -> {
                sleep(100);
                return Receiver.Answer.ok();
            });
            UsersWritingIn.inject(harness, NUMBER, 10, 4);

            await().atMost(Duration.ofSeconds(30)).until(() -> distinctTaken(harness, "/webhook") == 40);
            assertThat(harness.receiver.mostUnderWay("/webhook"))
                    .as("most at once (the node counted %s)", endpoint(harness, token, "webhook").path("most_concurrent"))
                    .isEqualTo(3);
            UsersWritingIn.assertEveryUserInOrder(harness, 10, 4);
        }
    }

    @Test
    void aRateCapGivesTheReceiverASteadyStreamNotABurst() throws Exception {
        try (Harness harness = harness(Map.of())) {
            String token = harness.createProject("Shop", Map.of("webhook_rate", 20)).get("token").asText();
            harness.number(token, NUMBER, 1_000);
            UsersWritingIn.inject(harness, NUMBER, 40, 1);

            await().atMost(Duration.ofSeconds(10)).until(() -> distinctTaken(harness, "/webhook") == 40);
            List<Long> arrivals = harness.receiver.calls("/webhook").stream().map(Receiver.Call::arrivedMillis).toList();
            for (int i = 0; i < arrivals.size(); i++) {
                int from = i;
                long inOneSecond = arrivals.stream().filter(t -> t >= arrivals.get(from) && t < arrivals.get(from) + 1_000).count();
                // 20 a second, plus the bucket's burst of 2 and one for the edges of the window.
                assertThat(inOneSecond).as("calls in the second from call %d", i).isLessThanOrEqualTo(23);
            }
            assertThat(arrivals.getLast() - arrivals.getFirst()).as("40 calls at 20 a second").isGreaterThan(1_500);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void callsFailingPastTheRetryWindowBecomeDeadLettersAndAReplayDeliversThem(TestStores.Kind kind) throws Exception {
        Map<String, Object> settings = new java.util.HashMap<>(QUICK_RETRIES);
        settings.put("webhooks.retry-window-s", 2);
        try (Harness harness = new Harness(kind, tempDir,
                SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0.0), settings)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.answer(call -> new Receiver.Answer(500, "{}"));
            UsersWritingIn.inject(harness, NUMBER, 2, 3);
            harness.api.expect(202, "/v1/messages", token, text(NUMBER, UsersWritingIn.user(9), "Your order has shipped"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode failed = harness.api.get("/v1/webhooks/failed", token).body().path("failed");
                assertThat(failed).filteredOn(f -> f.path("kind").asText().equals("message")).hasSize(6);
                assertThat(failed).filteredOn(f -> f.path("kind").asText().equals("event")).hasSize(3); // sent, delivered, read
            });
            JsonNode failed = harness.api.get("/v1/webhooks/failed?limit=4", token).body();
            assertThat(failed.path("failed")).hasSize(4).allSatisfy(f -> {
                assertThat(f.path("reason").asText()).isEqualTo("HTTP 500");
                assertThat(f.path("id").asText()).matches("(msg|evt)_\\w+");
            });
            JsonNode rest = harness.api.get("/v1/webhooks/failed?after=" + failed.path("next").asText(), token).body();
            assertThat(rest.path("failed")).hasSize(5);
            assertThat(rest.path("next").isNull()).isTrue();
            assertThat(harness.api.get("/v1/webhooks", token).body().path("dead_letters").asInt()).isEqualTo(9);

            harness.receiver.answer(call -> Receiver.Answer.ok());
            String first = failed.path("failed").findValuesAsText("id").stream().filter(id -> id.startsWith("msg_"))
                    .findFirst().orElseThrow();
            JsonNode one = harness.api.expect(202, "/v1/webhooks/replay", token, Map.of("ids", List.of(first)));
            assertThat(one.path("replayed").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.attempts("/webhook").stream()
                    .anyMatch(call -> call.status() == 200));
            assertThat(harness.api.get("/v1/webhooks", token).body().path("dead_letters").asInt()).isEqualTo(8);

            JsonNode all = harness.api.expect(202, "/v1/webhooks/replay", token, Map.of("from", "2020-01-01T00:00:00Z"));
            assertThat(all.path("replayed").asInt()).isEqualTo(8);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(distinctTaken(harness, "/webhook")).isEqualTo(6);
                assertThat(harness.receiver.events("/events")).extracting(e -> e.path("status").asText())
                        .containsExactly("sent", "delivered", "read");
            });
            UsersWritingIn.assertEveryUserInOrder(harness, 2, 3);
            assertThat(harness.api.get("/v1/webhooks/failed", token).body().path("failed")).isEmpty();
            assertThat(harness.api.expect(202, "/v1/webhooks/replay", token, Map.of()).path("replayed").asInt()).isZero();
        }
    }

    @Test
    void anEndpointAnswering410IsSwitchedOffItsCallsKeptAsDeadLettersUntilItsUrlChanges() throws Exception {
        try (Harness harness = harness(QUICK_RETRIES)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.answer(call -> call.path().equals("/webhook") ? new Receiver.Answer(410, "")
                    : Receiver.Answer.ok());
            UsersWritingIn.inject(harness, NUMBER, 1, 3);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    harness.api.get("/v1/webhooks/failed", token).body().path("failed")).hasSize(3));
            assertThat(harness.receiver.attempts("/webhook")).hasSize(1); // the rest were not tried
            assertThat(harness.api.get("/v1/webhooks/failed", token).body().path("failed").get(0).path("reason").asText())
                    .isEqualTo("HTTP 410 Gone");

            assertThat(harness.api.patch("/v1/project", token, Map.of("webhook_url", harness.receiver.url("/webhook2")))
                    .status()).isEqualTo(200);
            harness.api.expect(202, "/v1/webhooks/replay", token, Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> distinctTaken(harness, "/webhook2") == 3);
            assertThat(harness.receiver.calls("/webhook2")).extracting(c -> c.body().path("text").path("body").asText())
                    .containsExactly("u0-0", "u0-1", "u0-2");
        }
    }

    @Test
    void aFlappingReceiverLosesNothingAndKeepsEachUsersOrder() throws Exception {
        try (Harness harness = harness(QUICK_RETRIES)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            // Five calls answered 503, five taken, and so on, whatever the machine's speed.
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            harness.receiver.answer(call -> (calls.getAndIncrement() / 5) % 2 == 0
                    ? new Receiver.Answer(503, "{}") : Receiver.Answer.ok());
            UsersWritingIn.inject(harness, NUMBER, 4, 25);

            await().atMost(Duration.ofSeconds(30)).until(() -> distinctTaken(harness, "/webhook") == 100);
            UsersWritingIn.assertEveryUserInOrder(harness, 4, 25);
            assertThat(harness.receiver.attempts("/webhook")).anyMatch(call -> call.status() == 503);
        }
    }

    @Test
    void anAnswerLargerThanOneMebibyteFailsTheCallAndIsNotReadForReplies() throws Exception {
        try (Harness harness = harness(QUICK_RETRIES)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            // An instant reply padded to 1.5 MiB, then plain acknowledgements.
            String large = "{\"type\":\"text\",\"text\":{\"body\":\"from the large answer\"},\"padding\":\""
                    + "x".repeat(1_536 * 1_024) + "\"}";
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            harness.receiver.answer(call -> call.path().equals("/webhook") && calls.getAndIncrement() == 0
                    ? new Receiver.Answer(200, large) : Receiver.Answer.ok());
            UsersWritingIn.inject(harness, NUMBER, 1, 1);

            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.attempts("/webhook").size() == 2);
            assertThat(harness.receiver.attempts("/webhook")).extracting(Receiver.Call::status).containsExactly(200, 200);
            sleep(500);
            assertThat(harness.network.received(UsersWritingIn.user(0))).as("replies sent from the large answer").isEmpty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
