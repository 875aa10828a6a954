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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On the simulated network, every webhook format carries what the network told: a user's reply names its sender and
 * the message it replies to (by the id the bot got from us), and the statuses carry Meta's pricing and error
 * objects as the network produces them. Each format runs on another store, so the three stores hold the new columns.
 */
class SimWebhookDetailsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NUMBER = "+919800000001";
    private static final int USERS = 30;

    @TempDir Path tempDir;

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of("native", TestStores.Kind.EMBEDDED), Arguments.of("cloud", TestStores.Kind.POSTGRESQL),
                Arguments.of("push", TestStores.Kind.MARIADB));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("formats")
    void aReplyNamesItsSenderAndTheMessageAndStatusesCarryPricingAndErrors(String format, TestStores.Kind kind)
            throws Exception {
        // Half the users cannot be reached; the others read and reply to what they got.
        SimConfig network = SimConfig.defaults().withReadProbability(1.0).withReplyProbability(1.0).withReplyMillis(50)
                .withFailProbability(0.5);
        try (Harness harness = new Harness(kind, tempDir, network)) {
            Map<String, Object> settings = new HashMap<>(Map.of("webhook_format", format));
            if (format.equals("cloud")) settings.put("webhook_verify_token", Receiver.VERIFY_TOKEN);
            String token = harness.createProject("Shop", settings).path("token").asText();
            harness.number(token, NUMBER, 1_000);

            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 16; i++) batch.add(text(NUMBER, "+1555000%04d".formatted(i), "Your order shipped"));
            Map<String, String> sentTo = new HashMap<>(); // our message id -> user
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
            for (int i = 0; i < 16; i++) sentTo.put(accepted.at("/messages/" + i + "/id").asText(), (String) batch.get(i).get("to"));

            await().atMost(WAIT).until(() -> finalEvents(format, harness) == 16);
            List<WebhookFormats.Event> events = WebhookFormats.events(format, harness.receiver.calls("/events"));
            List<WebhookFormats.Event> failed = events.stream().filter(e -> e.status().equals("failed")).toList();
            List<WebhookFormats.Event> read = events.stream().filter(e -> e.status().equals("read")).toList();
            assertThat(failed).as("some users were unreachable: %s", events).isNotEmpty();
            assertThat(read).as("some users read: %s", events).isNotEmpty();
            assertThat(failed).allSatisfy(e -> assertThat(e.errorCode()).as("%s", e.raw()).isEqualTo("131026"));
            if (format.equals("cloud")) {
                assertThat(failed).allSatisfy(e -> {
                    assertThat(e.raw().at("/errors/0/title").asText()).isEqualTo("Message undeliverable");
                    assertThat(e.raw().at("/errors/0/error_data/details").asText()).isEqualTo("the user's phone could not be reached");
                });
            }
            if (!format.equals("push")) {
                assertThat(read).allSatisfy(e -> {
                    assertThat(e.category()).as("%s", e.raw()).isEqualTo("service");
                    assertThat(e.raw().at("/pricing/pricing_model").asText()).isEqualTo("PMP");
                    assertThat(e.raw().at("/conversation/id").asText()).isNotEmpty();
                });
            } else {
                assertThat(events).allSatisfy(e -> {
                    assertThat(e.raw().path("message_type").asText()).as("%s", e.raw()).isEqualTo("text");
                    assertThat(e.raw().path("channel_id").asText()).isEqualTo("8");
                    assertThat(e.raw().path("reference_number").asText()).startsWith("wamid.");
                });
            }

            // Every user who got the message replied to it: the Webhook names the user and our id of that message.
            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() == read.size());
            for (Receiver.Call call : harness.receiver.calls("/webhook")) {
                WebhookFormats.Incoming reply = WebhookFormats.incoming(format, call);
                assertThat(reply.text()).as("%s", reply.raw()).startsWith("re: Your order");
                assertThat(reply.name()).as("%s", reply.raw()).isEqualTo("User " + reply.from().substring(reply.from().length() - 4));
                assertThat(sentTo.get(reply.contextId())).as("the reply's context %s", reply.raw()).isEqualTo(reply.from());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aCallReadBackFromTheStoreCarriesTheSameNameAndContext() throws Exception {
        // Ten owed calls in memory (the least): the others wait in the store while the bot is down, and are read back.
        SimConfig network = SimConfig.defaults().withReadProbability(0.0).withReplyProbability(1.0).withReplyMillis(20);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, network, Map.of("webhooks.calls-in-memory", 10,
                "webhooks.retry-first-ms", 100, "webhooks.retry-max-ms", 400))) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.down();
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < USERS; i++) batch.add(text(NUMBER, "+1555100%04d".formatted(i), "Your order shipped"));
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
            Map<String, String> sentTo = new HashMap<>();
            for (int i = 0; i < USERS; i++) sentTo.put(accepted.at("/messages/" + i + "/id").asText(), (String) batch.get(i).get("to"));
            await().atMost(WAIT).until(() -> harness.network.stats().totals().getOrDefault("replies", 0L) == USERS);
            Thread.sleep(500); // the replies stored, and their calls failing
            harness.receiver.up();

            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").stream().map(Receiver.Call::webhookId)
                    .distinct().count() == USERS);
            for (Receiver.Call call : harness.receiver.calls("/webhook")) {
                WebhookFormats.Incoming reply = WebhookFormats.incoming("native", call);
                assertThat(reply.name()).as("%s", reply.raw()).isEqualTo("User " + reply.from().substring(reply.from().length() - 4));
                assertThat(sentTo.get(reply.contextId())).as("the reply's context %s", reply.raw()).isEqualTo(reply.from());
            }
        }
    }

    /** Messages that reached a final status (read or failed) in the Event Webhook's calls so far. */
    private static long finalEvents(String format, Harness harness) {
        return WebhookFormats.events(format, harness.receiver.calls("/events")).stream()
                .filter(e -> e.status().equals("read") || e.status().equals("failed")).count();
    }
}
