package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One shared text or template with per-recipient variables, expanded by the node into one message per recipient. */
class DynamicBulkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> USERS = List.of("+15550000101", "+15550000102", "+15550000103");

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void eachRecipientGetsTheTextWithItsOwnVariablesAndTheIdsComeInRecipientOrder(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Dynamic", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            List<String> names = List.of("Asha", "Bram", "Chen");
            List<Object> recipients = new ArrayList<>();
            for (int i = 0; i < USERS.size(); i++) {
                recipients.add(map("to", USERS.get(i), "variables", map("name", names.get(i), "code", 1000 + i)));
            }
            Map<String, Object> request = map("from", NUMBER, "type", "text",
                    "text", map("body", "Hi {{name}}, your code is {{ code }}. {{name}}, keep it secret.",
                            "preview_url", false),
                    "recipients", recipients);

            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, request);

            assertThat(accepted.path("messages")).hasSize(3);
            for (int i = 0; i < USERS.size(); i++) {
                String id = accepted.path("messages").get(i).path("id").asText();
                assertThat(accepted.path("messages").get(i).path("status").asText()).isEqualTo("queued");
                String expected = "Hi " + names.get(i) + ", your code is " + (1000 + i) + ". " + names.get(i)
                        + ", keep it secret.";
                String user = USERS.get(i);
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                        assertThat(harness.network.received(user)).hasSize(1));
                UserMessage received = harness.network.received(user).getFirst();
                assertThat(received.messageId()).as("the id answered for recipient " + i).isEqualTo(Ids.parse(id));
                assertThat(JSON.readTree(received.payload()))
                        .isEqualTo(JSON.readTree("{\"body\":\"" + expected + "\",\"preview_url\":false}"));
                JsonNode stored = harness.api.get("/v1/messages/" + id, token).body();
                assertThat(stored.path("to").asText()).isEqualTo(user);
                assertThat(stored.path("text").path("body").asText()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aTemplateIsFilledPerRecipient() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Dynamic templates", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            Map<String, Object> template = map("name", "order_shipped", "language", map("code", "en"),
                    "components", List.of(map("type", "body", "parameters", List.of(
                            map("type", "text", "text", "{{name}}"),
                            map("type", "currency", "currency", map("fallback_value", "₹{{amount}}", "code", "INR",
                                    "amount_1000", 1_250_000))))));
            Map<String, Object> request = map("from", NUMBER, "type", "template", "template", template,
                    "recipients", List.of(map("to", USERS.get(0), "variables", map("name", "Asha", "amount", "1,250")),
                            map("to", USERS.get(1), "variables", map("name", "Bram", "amount", "99"))));

            harness.api.expect(202, "/v1/messages", token, request);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(harness.network.received(USERS.get(0))).hasSize(1);
                assertThat(harness.network.received(USERS.get(1))).hasSize(1);
            });
            JsonNode first = JSON.readTree(harness.network.received(USERS.get(0)).getFirst().payload());
            JsonNode second = JSON.readTree(harness.network.received(USERS.get(1)).getFirst().payload());
            assertThat(first.at("/components/0/parameters/0/text").asText()).isEqualTo("Asha");
            assertThat(first.at("/components/0/parameters/1/currency/fallback_value").asText()).isEqualTo("₹1,250");
            assertThat(second.at("/components/0/parameters/0/text").asText()).isEqualTo("Bram");
            assertThat(second.at("/components/0/parameters/1/currency/fallback_value").asText()).isEqualTo("₹99");
            assertThat(first.at("/name").asText()).isEqualTo("order_shipped");
        }
    }

    /** A bad dynamic request and the error it must get: the field names the recipient when it is that recipient's. */
    record Bad(String what, Object request, String code, String field) {}

    @Test
    void aBrokenPlaceholderOrAMissingVariableIsRefusedNamingTheRecipientAndNothingIsWritten() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Dynamic errors", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            List<Object> thousandAndOne = new ArrayList<>();
            for (int i = 0; i < 1_001; i++) thousandAndOne.add(map("to", "+1555" + String.format("%07d", i)));
            List<Bad> cases = List.of(
                    new Bad("no variable for a placeholder", dynamic("Your code is {{code}}",
                            recipient(USERS.get(0), "code", "1"), recipient(USERS.get(1), "name", "Bram")),
                            "missing_variable", "recipients[1].variables.code"),
                    new Bad("a malformed placeholder", dynamic("Hi {{name}, welcome", recipient(USERS.get(0), "name", "A")),
                            "invalid_placeholder", "text.body"),
                    new Bad("an empty placeholder", dynamic("Hi {{}}", recipient(USERS.get(0), "name", "A")),
                            "invalid_placeholder", "text.body"),
                    new Bad("a placeholder with a space in its name", dynamic("Hi {{first name}}",
                            recipient(USERS.get(0), "name", "A")), "invalid_placeholder", "text.body"),
                    new Bad("a text too long once filled in", dynamic("{{a}}{{a}}",
                            recipient(USERS.get(0), "a", "x".repeat(2_048)), recipient(USERS.get(1), "a", "y"),
                            recipient(USERS.get(2), "a", "z".repeat(2_049))), "body_too_long", "recipients[2].text.body"),
                    new Bad("a recipient not in E.164", dynamic("Hi", recipient(USERS.get(0)), recipient("12345")),
                            "invalid_recipient", "recipients[1].to"),
                    new Bad("a variable that is not text", dynamic("Hi {{name}}",
                            map("to", USERS.get(0), "variables", map("name", List.of("A")))),
                            "invalid_type", "recipients[0].variables.name"),
                    new Bad("a shared field is the request's", withFrom(dynamic("Hi", recipient(USERS.get(0))), "+919811111111"),
                            "unknown_number", "from"),
                    new Bad("more than 1,000 recipients", map("from", NUMBER, "type", "text", "text", map("body", "Hi"),
                            "recipients", thousandAndOne), "too_many", "recipients"),
                    new Bad("no recipients", map("from", NUMBER, "type", "text", "text", map("body", "Hi"),
                            "recipients", List.of()), "too_few", "recipients"),
                    new Bad("only text or template", map("from", NUMBER, "type", "image", "image",
                            map("link", "https://cdn.example.com/{{name}}.png"), "recipients", List.of(recipient(USERS.get(0)))),
                            "unsupported_type", "type"),
                    new Bad("a template parameter without its variable", map("from", NUMBER, "type", "template",
                            "template", map("name", "t", "language", map("code", "en"), "components", List.of(map("type", "body",
                                    "parameters", List.of(map("type", "text", "text", "{{who}}"))))),
                            "recipients", List.of(recipient(USERS.get(0)))), "missing_variable", "recipients[0].variables.who"));

            SoftAssertions softly = new SoftAssertions();
            for (Bad bad : cases) {
                long before = harness.node.messageCount();
                ApiClient.Answer answer = harness.api.post("/v1/messages", token, bad.request());
                softly.assertThat(answer.status()).as(bad.what() + ": " + answer.body()).isEqualTo(400);
                softly.assertThat(answer.body().path("error").path("code").asText()).as(bad.what()).isEqualTo(bad.code());
                softly.assertThat(answer.body().path("error").path("field").asText()).as(bad.what()).isEqualTo(bad.field());
                softly.assertThat(harness.node.messageCount()).as(bad.what() + ": nothing written").isEqualTo(before);
            }
            softly.assertAll();
            for (String user : USERS) assertThat(harness.network.received(user)).as("nothing sent").isEmpty();
        }
    }

    private static Map<String, Object> dynamic(String body, Object... recipients) {
        return map("from", NUMBER, "type", "text", "text", map("body", body), "recipients", List.of(recipients));
    }

    private static Map<String, Object> withFrom(Map<String, Object> request, String from) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(request);
        copy.put("from", from);
        return copy;
    }

    private static Map<String, Object> recipient(String to, Object... variables) {
        return map("to", to, "variables", variables.length == 0 ? null : map(variables));
    }
}
