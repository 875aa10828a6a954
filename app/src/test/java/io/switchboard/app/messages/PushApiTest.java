package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.Node;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.MediaHost;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider's Push API ({@code POST /api/v2/push}, token in the body) and its Event Webhook format: pushes reach
 * the network, and their statuses come back as the provider's codes (4 submitted, 1 delivered, 3 read).
 */
class PushApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SimConfig READING_USERS = SimConfig.defaults().withReplyProbability(0).withReadProbability(1.0);

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aPushInTheGuidesFormatReachesTheNetworkAndItsEventsComeInTheProvidersFormat(TestStores.Kind kind)
            throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READING_USERS); MediaHost host = new MediaHost()) {
            JsonNode project = harness.createProject("Guide", Map.of("webhook_format", "push"));
            String token = project.path("token").asText();
            harness.number(token, NUMBER, 100);
            String other = harness.project("Other");
            Http http = new Http(harness.node.httpPort());

            Http.Answer answer = http.call("POST", "/api/v2/push", null, Map.of("token", token, "application", "8",
                    "globalmessage", "Sale starts now", "priority", "1", "data", List.of(
                            Map.of("number", "15550004001", "message", "Hello Asha, your order shipped"),
                            Map.of("number", "15550004002"))));

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            JsonNode body = answer.body();
            assertThat(body.path("status").asInt()).isEqualTo(100);
            assertThat(body.path("message").asText()).isEqualTo("Success");
            assertThat(body.path("push_id").asText()).isNotBlank();
            assertThat(body.path("data").findValuesAsText("number")).containsExactly("15550004001", "15550004002");
            assertThat(body.path("data").findValues("credit")).allMatch(c -> c.asInt() == 1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(harness.network.received("+15550004001")).hasSize(1);
                assertThat(harness.network.received("+15550004002")).hasSize(1);
            });
            UserMessage first = harness.network.received("+15550004001").getFirst();
            assertThat(JSON.readTree(first.payload()).path("body").asText()).isEqualTo("Hello Asha, your order shipped");
            assertThat(JSON.readTree(harness.network.received("+15550004002").getFirst().payload()).path("body").asText())
                    .isEqualTo("Sale starts now");
            String msgId = body.path("data").get(0).path("msg_id").asText();
            assertThat(harness.api.get("/v1/messages/" + msgId, token).body().path("priority").asText()).isEqualTo("high");

            // Its Event Webhook: the provider's envelope and codes, submitted (4), delivered (1), read (3), in order.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(statuses(harness, msgId))
                    .containsExactly(4, 1, 3));
            JsonNode call = harness.receiver.calls("/events").getFirst().body();
            assertThat(call.path("project_id").asText()).isEqualTo(project.path("id").asText());
            assertThat(call.path("event_id").asInt()).isEqualTo(1);
            assertThat(call.path("data").get(0).path("number").asText()).startsWith("155500040");
            assertThat(items(harness)).filteredOn(item -> item.path("msg_id").asText().equals(msgId))
                    .allSatisfy(item -> assertThat(item.path("push_id").asText()).isEqualTo(body.path("push_id").asText()));

            // A media push: the link's type by its extension, the text as its caption; the file is fetched and sent.
            byte[] png = "\u0089PNG not really an image".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            JsonNode media = http.call("POST", "/api/v2/push", null, Map.of("token", token, "application", "8",
                    "globalmedia", host.serve("/p/aloe.png", "image/png", png), "data",
                    List.of(Map.of("number", "15550004003", "message", "Our aloe")))).body();
            assertThat(media.path("status").asInt()).as(media.toString()).isEqualTo(100);
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550004003").isEmpty());
            UserMessage image = harness.network.received("+15550004003").getFirst();
            assertThat(image.type()).isEqualTo("image");
            JsonNode sent = JSON.readTree(image.payload());
            assertThat(sent.path("caption").asText()).isEqualTo("Our aloe");
            assertThat(sent.path("sha256").asText()).isEqualTo(Uploads.sha256(png));

            // Bad input and other projects: refused, nothing sent.
            Http.Answer tooLong = http.call("POST", "/api/v2/push", null, Map.of("token", token, "application", "8",
                    "data", List.of(Map.of("number", "15550004004", "message", "x".repeat(4097)))));
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.body().path("error").path("field").asText()).startsWith("data[0]");
            assertThat(http.call("POST", "/api/v2/push", null, Map.of("token", "sb_nobody", "application", "8",
                    "data", List.of(Map.of("number", "15550004004", "message", "hi")))).status()).isEqualTo(401);
            // The token is read first: a caller without a valid one is refused before the rest is read or parsed,
            // so a 3 MiB body that is no JSON past the token is a 401, not a 400.
            assertThat(http.call("POST", "/api/v2/push", null, "{\"token\":\"sb_nobody\",\"data\":["
                    + "x".repeat(3 << 20)).status()).isEqualTo(401);
            Http.Answer twice = http.call("POST", "/api/v2/push", null, "{\"token\":\"" + token
                    + "\",\"token\":\"sb_nobody\",\"application\":\"8\",\"data\":[{\"number\":\"15550004004\"}]}");
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.body().path("error").path("field").asText()).isEqualTo("token");
            Http.Answer tokenLast = http.call("POST", "/api/v2/push", null, "{\"application\":\"8\",\"data\":"
                    + "[{\"number\":\"15550004005\",\"message\":\"token last\"}],\"token\":\"" + token + "\"}");
            assertThat(tokenLast.status()).as(tokenLast.body().toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550004005").isEmpty());
            Http.Answer theirs = http.call("POST", "/api/v2/push", null, Map.of("token", other, "application", "8",
                    "from", NUMBER, "data", List.of(Map.of("number", "15550004004", "message", "hi"))));
            assertThat(theirs.status()).isEqualTo(400);
            assertThat(theirs.code()).isEqualTo("unknown_number");
            assertThat(harness.api.get("/v1/messages/" + msgId, other).status()).isEqualTo(404);
            assertThat(harness.network.received("+15550004004")).isEmpty();
        }
    }

    @Test
    void aRefusedPushLeavesItsConnectionFitForTheNextRequest() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, READING_USERS)) {
            String token = harness.project("Guide");
            Http http = new Http(harness.node.httpPort()); // one client: its next request goes on the same connection
            // Refused on its first bytes or on its token, each body is mostly unread when the answer is written; the
            // node reads the rest, else Jetty closes the connection under the client's next request (no answer at all).
            for (int i = 0; i < 400; i++) {
                int size = 150_000 + i * 250;
                String body = i % 2 == 0 ? "\u0000".repeat(size) : "{\"token\":\"sb_nobody\",\"data\":[" + "x".repeat(size);
                assertThat(http.call("POST", "/api/v2/push", null, body).status()).isIn(400, 401);
                assertThat(http.call("GET", "/v1/numbers", token, null).status()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void eachPushsEventsCarryItsPushIdAlsoWhenANodeRestartedOwesThem(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, READING_USERS)) {
            String token = harness.createProject("Guide", Map.of("webhook_format", "push")).path("token").asText();
            harness.number(token, NUMBER, 100);
            Http http = new Http(harness.node.httpPort());
            harness.receiver.answer(call -> new Receiver.Answer(500, "{}")); // the customer's server is failing

            JsonNode first = push(http, token, "15550005001", "15550005002");
            JsonNode second = push(http, token, "15550005003");
            assertThat(first.path("push_id").asText()).isNotEqualTo(second.path("push_id").asText());
            Map<String, String> pushOf = new java.util.HashMap<>();
            for (JsonNode answer : List.of(first, second)) {
                answer.path("data").forEach(m -> pushOf.put(m.path("msg_id").asText(), answer.path("push_id").asText()));
            }
            // Every message read, its events stored and still owed; the failed calls carried the push ids already.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pushOf.keySet()).allSatisfy(id ->
                    assertThat(harness.api.get("/v1/messages/" + id, token).body().path("status").asText()).isEqualTo("read")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.receiver.attempts("/events").isEmpty());
            assertThat(harness.receiver.attempts("/events").getFirst().body().path("data")).allSatisfy(item ->
                    assertThat(item.path("push_id").asText()).isEqualTo(pushOf.get(item.path("msg_id").asText())));
            harness.node.close();

            harness.receiver.answer(call -> Receiver.Answer.ok());
            try (Node restarted = harness.anotherNode()) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pushOf.keySet()).allSatisfy(id ->
                        assertThat(statuses(harness, id)).containsExactly(4, 1, 3)));
                assertThat(items(harness)).hasSize(9).allSatisfy(item -> assertThat(item.path("push_id").asText())
                        .as(item.toString()).isEqualTo(pushOf.get(item.path("msg_id").asText())));
            }
        }
    }

    private static JsonNode push(Http http, String token, String... numbers) throws Exception {
        List<Map<String, String>> data = java.util.Arrays.stream(numbers).map(n -> Map.of("number", n)).toList();
        Http.Answer answer = http.call("POST", "/api/v2/push", null, Map.of("token", token, "application", "8",
                "globalmessage", "Your order shipped", "data", data));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body();
    }

    /** The items of every Event Webhook call taken, in order. */
    private static List<JsonNode> items(Harness harness) {
        return harness.receiver.calls("/events").stream().flatMap(call -> {
            List<JsonNode> items = new java.util.ArrayList<>();
            call.body().path("data").forEach(items::add);
            return items.stream();
        }).toList();
    }

    private static List<Integer> statuses(Harness harness, String msgId) {
        return items(harness).stream().filter(item -> item.path("msg_id").asText().equals(msgId))
                .map(item -> item.path("status").asInt()).collect(Collectors.toList());
    }
}
