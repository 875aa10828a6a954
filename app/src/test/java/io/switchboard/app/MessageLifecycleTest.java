package io.switchboard.app;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A message's whole walk, both ways, through a real node, the simulated network and a customer's server. */
class MessageLifecycleTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";

    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aMessageGoesQueuedSentDeliveredReadAndTheEventWebhookHearsEachStep(TestStores.Kind kind) throws Exception {
        SimConfig users = SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0.0);
        try (Harness harness = new Harness(kind, tempDir, users)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 100);

            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, text(NUMBER, USER, "Your order has shipped"));
            String id = accepted.path("messages").get(0).path("id").asText();
            assertThat(accepted.path("messages").get(0).path("status").asText()).isEqualTo("queued");

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(harness.api.get("/v1/messages/" + id, token).body().path("status").asText()).isEqualTo("read"));
            JsonNode message = harness.api.get("/v1/messages/" + id, token).body();
            assertThat(message.path("statuses").fieldNames()).toIterable()
                    .containsExactly("queued", "sent", "delivered", "read");
            assertThat(message.path("text").path("body").asText()).isEqualTo("Your order has shipped");

            List<UserMessage> inbox = harness.network.received(USER);
            assertThat(inbox).hasSize(1);
            assertThat(inbox.getFirst().messageId()).isEqualTo(Ids.parse(id));
            assertThat(inbox.getFirst().payload()).contains("Your order has shipped");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(harness.receiver.events("/events")).extracting(e -> e.path("status").asText())
                            .containsExactly("sent", "delivered", "read"));
            assertThat(harness.receiver.events("/events")).allSatisfy(event -> {
                assertThat(event.path("message_id").asText()).isEqualTo(id);
                assertThat(event.path("recipient").asText()).isEqualTo(USER);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anIncomingMessageReachesTheWebhookAndItsInstantReplyReachesTheUser(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0.0))) {
            String token = harness.project("Bot");
            harness.number(token, NUMBER, 100);
            harness.receiver.answer(call -> call.path().equals("/webhook")
                    ? new Receiver.Answer(200, "{\"type\":\"text\",\"text\":{\"body\":\"Hi! Your ticket is #7\"}}")
                    : Receiver.Answer.ok());

            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(NUMBER, USER, "I need help"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(harness.network.received(USER)).extracting(UserMessage::payload)
                            .singleElement().asString().contains("Hi! Your ticket is #7"));
            List<Receiver.Call> webhooks = harness.receiver.calls("/webhook");
            assertThat(webhooks).hasSize(1);
            JsonNode incoming = webhooks.getFirst().body();
            assertThat(incoming.path("from").asText()).isEqualTo(USER);
            assertThat(incoming.path("to").asText()).isEqualTo(NUMBER);
            assertThat(incoming.path("type").asText()).isEqualTo("text");
            assertThat(incoming.path("text").path("body").asText()).isEqualTo("I need help");
            assertThat(webhooks.getFirst().webhookId()).isEqualTo("msg_" + incoming.path("id").asText());

            JsonNode stored = harness.api.get("/v1/messages/" + incoming.path("id").asText(), token).body();
            assertThat(stored.path("direction").asText()).isEqualTo("in");
            assertThat(stored.path("status").asText()).isEqualTo("received");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aFailingWebhookIsRetriedWhileTheMessageWaitsInTheStore(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0.0))) {
            String token = harness.project("Flaky");
            harness.number(token, NUMBER, 100);
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            harness.receiver.answer(call -> call.path().equals("/webhook") && attempts.incrementAndGet() <= 2
                    ? new Receiver.Answer(503, "") : Receiver.Answer.ok());

            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(NUMBER, USER, "are you there?"));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(harness.receiver.calls("/webhook")).hasSize(1));
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(harness.receiver.calls("/webhook").getFirst().body().path("text").path("body").asText())
                    .isEqualTo("are you there?");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void withTheEventWebhookSwitchedOffNoEventCallIsMade(TestStores.Kind kind) throws Exception {
        SimConfig users = SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0.0);
        try (Harness harness = new Harness(kind, tempDir, users)) {
            String token = harness.project("Quiet");
            harness.number(token, NUMBER, 100);
            JsonNode switched = harness.api.patch("/v1/project", token, Map.of("events_enabled", false)).body();
            assertThat(switched.path("events_enabled").asBoolean()).isFalse();
            assertThat(harness.api.get("/v1/project", token).body().path("events_enabled").asBoolean()).isFalse();

            String id = harness.api.expect(202, "/v1/messages", token, text(NUMBER, USER, "no receipts please"))
                    .path("messages").get(0).path("id").asText();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(harness.api.get("/v1/messages/" + id, token).body().path("status").asText()).isEqualTo("read"));
            Thread.sleep(300); // longer than the event batch delay: a call, if any were made, would be here by now
            assertThat(harness.receiver.calls("/events")).isEmpty();
        }
    }
}
