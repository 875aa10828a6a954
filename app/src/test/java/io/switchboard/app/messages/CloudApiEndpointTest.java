package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
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
 * The Cloud API compatible endpoint: Meta's request bodies for every kind reach the simulated network, answered as
 * Meta answers; errors come in the Graph API's shape with Meta's codes; a read mark reaches the network as a read
 * report paid from the budget; nothing crosses between projects.
 */
class CloudApiEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PHONE_NUMBER_ID = NUMBER.substring(1);
    static final String MESSAGES = "/v23.0/" + PHONE_NUMBER_ID + "/messages";
    private static final SimConfig READING_USERS = SimConfig.defaults().withReplyProbability(0).withReadProbability(1.0);

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void everyKindInTheCloudApisShapeReachesTheNetworkAndAnswersAsMetaDoes(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Cloud", 200)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            List<MessageKindsTest.Sample> samples = MessageKindsTest.SAMPLES;
            for (int i = 0; i < samples.size(); i++) {
                MessageKindsTest.Sample sample = samples.get(i);
                String user = MessageKindsTest.user(i);
                ObjectNode body = MessageKindsTest.message(sample, user.substring(1)); // Meta's "to": digits, no "+"
                body.remove("from");
                Http.Answer answer = http.call("POST", "/v" + (17 + i % 7) + ".0/" + PHONE_NUMBER_ID + "/messages",
                        node.token(), body);

                assertThat(answer.status()).as(sample.name() + ": " + answer.body()).isEqualTo(200);
                String wamid = answer.body().path("messages").get(0).path("id").asText();
                assertThat(wamid).startsWith("wamid.");
                assertThat(answer.body()).as(sample.name()).isEqualTo(JSON.readTree("""
                        {"messaging_product":"whatsapp","contacts":[{"input":"%s","wa_id":"%s"}],"messages":[{"id":"%s"}]}"""
                        .formatted(user.substring(1), user.substring(1), wamid)));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(harness.network.received(user)).as(sample.name()).hasSize(1));
                UserMessage received = harness.network.received(user).getFirst();
                assertThat(Ids.format(received.messageId())).isEqualTo(wamid.substring("wamid.".length()));
                assertThat(JSON.readTree(received.payload())).as(sample.name()).isEqualTo(JSON.readTree(sample.object()));
                assertThat(received.context()).isEqualTo(sample.replyTo() == null ? "" : sample.replyTo());

                JsonNode stored = harness.api.get("/v1/messages/" + wamid, node.token()).body();
                assertThat(stored.path("type").asText()).as(sample.name()).isEqualTo(sample.type());
                assertThat(stored.path("to").asText()).isEqualTo(user);
            }
        }
    }

    @Test
    void errorsComeInTheGraphShapeWithMetasCodes() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Errors", 50)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            String other = harness.project("Other");
            harness.number(other, "+919800000002", 10);
            String readOnly = harness.api.expect(201, "/v1/tokens", node.token(),
                    Map.of("name", "reader", "scopes", List.of("read"))).path("token").asText();

            assertGraph(http.call("POST", MESSAGES, "not-a-token", text("15550001000", "hi")), 401, 190, "OAuthException");
            assertGraph(http.call("POST", MESSAGES, null, text("15550001000", "hi")), 401, 190, "OAuthException");
            assertGraph(http.call("POST", MESSAGES, readOnly, text("15550001000", "hi")), 403, 10, "OAuthException");
            Http.Answer missing = http.call("POST", MESSAGES, node.token(),
                    Map.of("messaging_product", "whatsapp", "type", "text", "text", Map.of("body", "hi")));
            assertGraph(missing, 400, 131008, "OAuthException");
            assertThat(missing.body().path("error").path("error_data").path("details").asText()).contains("to");
            Http.Answer tooLong = http.call("POST", MESSAGES, node.token(), text("15550001000", "x".repeat(4097)));
            assertGraph(tooLong, 400, 100, "OAuthException");
            assertThat(tooLong.body().path("error").path("error_data").path("details").asText())
                    .contains("text.body").contains("4096");
            assertGraph(http.call("POST", MESSAGES, node.token(), Map.of("messaging_product", "whatsapp", "to",
                    "15550001000", "type", "carrier_pigeon", "carrier_pigeon", Map.of())), 400, 131051, "OAuthException");
            assertGraph(http.call("POST", MESSAGES, node.token(), "{not json"), 400, 100, "OAuthException");
            // Another project's number, through our token, and ours through theirs: an object that does not exist.
            assertGraph(http.call("POST", "/v23.0/919800000002/messages", node.token(), text("15550001000", "hi")),
                    400, 100, "GraphMethodException");
            assertGraph(http.call("POST", MESSAGES, other, text("15550001000", "hi")), 400, 100, "GraphMethodException");
            assertThat(harness.network.received("+15550001000")).isEmpty();
        }
    }

    @Test
    void aReadMarkReachesTheNetworkAsAReadReportPaidFromTheBudget() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Reads", 50)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            String other = harness.project("Other");
            harness.number(other, "+919800000002", 10);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, "+15550002000", "hello"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.receiver.calls("/webhook").isEmpty());
            String id = harness.receiver.calls("/webhook").getFirst().body().path("id").asText();
            String networkId = harness.api.get("/v1/messages/" + id, node.token()).body().path("network_id").asText();
            assertThat(networkId).isNotEmpty();
            Map<String, Object> mark = Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + id);

            // Another project cannot mark it, through its own number or ours.
            assertGraph(http.call("POST", "/v23.0/919800000002/messages", other, mark), 400, 100, "OAuthException");
            assertGraph(http.call("POST", MESSAGES, other, mark), 400, 100, "GraphMethodException");
            assertThat(harness.network.markedRead(networkId)).isFalse();

            Http.Answer answer = http.call("POST", MESSAGES, node.token(), mark);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(JSON.readTree("{\"success\":true}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.markedRead(networkId));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(harness.api.get("/v1/numbers", node.token())
                    .body().path("numbers").get(0).path("budget_used").path("read_report").asLong()).isEqualTo(1));
            assertThat(harness.network.stats().numbers().get(NUMBER).get("marked_read")).isEqualTo(1L);

            assertGraph(http.call("POST", MESSAGES, node.token(), Map.of("messaging_product", "whatsapp",
                    "status", "read", "message_id", "wamid.0000000000000")), 400, 100, "OAuthException");
        }
    }

    @Test
    void aReadMarkWithATypingIndicatorShowsTheUserTheBusinessTypingUntilItsReply() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Typing", 50)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            String user = "+15550002001";
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, user, "are you there?"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.receiver.calls("/webhook").isEmpty());
            String id = harness.receiver.calls("/webhook").getFirst().body().path("id").asText();
            String networkId = harness.api.get("/v1/messages/" + id, node.token()).body().path("network_id").asText();

            Http.Answer answer = http.call("POST", MESSAGES, node.token(), Map.of("messaging_product", "whatsapp",
                    "status", "read", "message_id", "wamid." + id, "typing_indicator", Map.of("type", "text")));
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.markedRead(networkId));
            assertThat(harness.network.typingShown(NUMBER, user)).as("typing, shown to the sender").isTrue();
            assertThat(harness.network.typingShown(NUMBER, "+15550002002")).as("and to no one else").isFalse();

            assertThat(http.call("POST", MESSAGES, node.token(), text(user.substring(1), "yes!")).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received(user).isEmpty());
            assertThat(harness.network.typingShown(NUMBER, user)).as("the reply ends it").isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void bizOpaqueCallbackDataComesBackInEachOfTheMessagesCloudFormatStatuses(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READING_USERS)) {
            String token = harness.createProject("Cloud", Map.of("webhook_format", "cloud",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN)).path("token").asText();
            harness.number(token, NUMBER, 100);
            String other = harness.createProject("Other", Map.of("webhook_format", "cloud",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN,
                    "event_webhook_url", harness.receiver.url("/other-events"))).path("token").asText();
            harness.number(other, "+919800000002", 100);
            Http http = new Http(harness.node.httpPort());
            String callback = "order 4711 \u2713 \uD83D\uDE9A"; // Meta's value is any string: non-ASCII too

            String tagged = wamid(http.call("POST", MESSAGES, token, withCallback(text("15550003001", "Shipped"), callback)));
            String plain = wamid(http.call("POST", MESSAGES, token, text("15550003002", "Thanks")));
            String theirs = wamid(http.call("POST", "/v23.0/919800000002/messages", other, text("15550003003", "Hi")));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(statuses(harness, "/events", tagged)).extracting(s -> s.path("status").asText())
                        .containsExactly("sent", "delivered", "read");
                assertThat(statuses(harness, "/events", plain)).hasSize(3);
                assertThat(statuses(harness, "/other-events", theirs)).hasSize(3);
            });
            assertThat(statuses(harness, "/events", tagged)).allSatisfy(status ->
                    assertThat(status.path("biz_opaque_callback_data").asText()).isEqualTo(callback));
            assertThat(statuses(harness, "/events", plain)).allSatisfy(status ->
                    assertThat(status.has("biz_opaque_callback_data")).as(status.toString()).isFalse());
            // Another project hears only its own statuses, none with our value.
            assertThat(harness.receiver.calls("/other-events")).allSatisfy(call ->
                    assertThat(call.body().toString()).doesNotContain("order 4711").doesNotContain(tagged));
            assertThat(harness.api.get("/v1/messages/" + tagged, token).body().path("biz_opaque_callback_data").asText())
                    .isEqualTo(callback);
            assertThat(harness.api.get("/v1/messages/" + plain, token).body().has("biz_opaque_callback_data")).isFalse();
            assertThat(harness.api.get("/v1/messages/" + tagged, other).status()).isEqualTo(404);
        }
    }

    @Test
    void bizOpaqueCallbackDataTakesUpTo512Characters() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Limits", 50)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            String longest = "\uD83D\uDE9A" + "x".repeat(511); // characters, not UTF-16 units or bytes

            String accepted = wamid(http.call("POST", MESSAGES, node.token(), withCallback(text("15550003010", "a"), longest)));
            assertThat(harness.api.get("/v1/messages/" + accepted, node.token()).body().path("biz_opaque_callback_data")
                    .asText()).isEqualTo(longest);
            Http.Answer tooLong = http.call("POST", MESSAGES, node.token(),
                    withCallback(text("15550003011", "b"), "x".repeat(513)));
            assertGraph(tooLong, 400, 100, "OAuthException");
            assertThat(tooLong.body().path("error").path("error_data").path("details").asText())
                    .contains("biz_opaque_callback_data").contains("513").contains("512");
            Map<String, Object> notText = new java.util.HashMap<>(text("15550003011", "b"));
            notText.put("biz_opaque_callback_data", 4711);
            assertGraph(http.call("POST", MESSAGES, node.token(), notText), 400, 100, "OAuthException");

            // Our own endpoint takes the same field by the same rule, errors in our shape.
            Map<String, Object> ours = Harness.text(NUMBER, "+15550003012", "c");
            JsonNode sent = harness.api.expect(202, "/v1/messages", node.token(), withCallback(ours, "x".repeat(512)));
            String id = sent.path("messages").get(0).path("id").asText();
            assertThat(harness.api.get("/v1/messages/" + id, node.token()).body().path("biz_opaque_callback_data")
                    .asText()).hasSize(512);
            var refused = harness.api.post("/v1/messages", node.token(), withCallback(ours, "x".repeat(513)));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("too_long");
            assertThat(refused.body().path("error").path("field").asText()).isEqualTo("biz_opaque_callback_data");
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550003012").isEmpty());
            assertThat(harness.network.received("+15550003011")).isEmpty();
            assertThat(harness.network.received("+15550003012")).hasSize(1);
        }
    }

    private static Map<String, Object> withCallback(Map<String, Object> message, String callback) {
        Map<String, Object> tagged = new java.util.HashMap<>(message);
        tagged.put("biz_opaque_callback_data", callback);
        return tagged;
    }

    private static String wamid(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body().path("messages").get(0).path("id").asText();
    }

    /** The statuses of one message in the Cloud-format Event Webhook calls taken on {@code path}, in order. */
    private static List<JsonNode> statuses(Harness harness, String path, String wamid) {
        List<JsonNode> statuses = new java.util.ArrayList<>();
        for (var call : harness.receiver.calls(path)) {
            for (JsonNode change : call.body().path("entry").get(0).path("changes")) {
                change.path("value").path("statuses").forEach(status -> {
                    if (status.path("id").asText().equals(wamid)) statuses.add(status);
                });
            }
        }
        return statuses;
    }

    private static Map<String, Object> text(String to, String body) {
        return Map.of("messaging_product", "whatsapp", "recipient_type", "individual", "to", to, "type", "text",
                "text", Map.of("preview_url", false, "body", body));
    }

    private static void assertGraph(Http.Answer answer, int status, int code, String type) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asInt()).as(answer.body().toString()).isEqualTo(code);
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).startsWith("(#" + code + ") ");
        assertThat(error.path("error_data").path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(error.path("error_data").path("details").asText()).isNotBlank();
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
        assertThat(answer.body().size()).isEqualTo(1);
    }
}
