package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
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
