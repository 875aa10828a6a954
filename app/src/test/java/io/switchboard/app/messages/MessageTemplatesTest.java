package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A project's message templates through the Cloud API's {@code /{version}/{waba_id}/message_templates} (the project id
 * as the WABA id): created to Meta's rules and approved, listed a page at a time, deleted; and a number on the
 * simulated network then sends only the approved ones, through our API and the Cloud API alike (Meta's 132001).
 */
class MessageTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "/v23.0/";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aProjectsNumbersSendOnlyTheTemplatesItsRegistryApproved(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, Messaging.QUIET_USERS)) {
            JsonNode project = harness.createProject("Bakery", Map.of());
            String token = project.path("token").asText();
            String templates = V + project.path("id").asText() + "/message_templates";
            harness.number(token, NUMBER, 100);
            String other = harness.project("Other");
            harness.number(other, "+919800000002", 100);
            String reader = harness.api.expect(201, "/v1/tokens", token, Map.of("name", "reader", "scopes",
                    List.of("read"))).path("token").asText();
            Http http = new Http(harness.node.httpPort());

            // No registry yet: the test bench sends any template.
            harness.api.expect(202, "/v1/messages", token, template("+15550003001", "anything", "en"));

            JsonNode created = expect(http.call("POST", templates, token, orderShipped("en_US")), 200);
            assertThat(created.path("status").asText()).isEqualTo("APPROVED");
            assertThat(created.path("category").asText()).isEqualTo("UTILITY");
            expect(http.call("POST", templates, token, orderShipped("hi")), 200);
            assertGraph(http.call("POST", templates, token, orderShipped("en_US")), 100, "name");
            assertThat(http.call("POST", templates, token, orderShipped("en_US")).body().at("/error/error_subcode").asInt())
                    .isEqualTo(2388024);
            assertGraph(http.call("POST", templates, token, map("name", "no_body", "language", "en", "category",
                    "MARKETING", "components", List.of(map("type", "FOOTER", "text", "f")))), 131008, "BODY");
            assertGraph(http.call("POST", templates, token, map("name", "promo", "language", "en", "category",
                    "PROMO", "components", List.of(map("type", "BODY", "text", "b")))), 100, "category");
            assertGraph(http.call("POST", templates, token, map("name", "long_button", "language", "en", "category",
                    "MARKETING", "components", List.of(map("type", "BODY", "text", "b"), map("type", "BUTTONS",
                            "buttons", List.of(map("type", "QUICK_REPLY", "text", "x".repeat(26))))))), 100,
                    "components[1].buttons[0].text");
            assertThat(http.call("POST", templates, reader, orderShipped("fr")).body().at("/error/code").asInt())
                    .as("creating takes the admin scope").isEqualTo(10);

            JsonNode page = expect(http.call("GET", templates + "?limit=1", reader, null), 200);
            assertThat(page.path("data")).hasSize(1);
            JsonNode first = page.path("data").get(0);
            assertThat(first.path("name").asText()).isEqualTo("order_shipped");
            assertThat(first.path("language").asText()).isEqualTo("en_US");
            assertThat(first.path("components")).isEqualTo(JSON.valueToTree(orderShipped("en_US").get("components")));
            assertThat(page.at("/paging/next").asText()).contains("after=" + first.path("id").asText());
            JsonNode second = expect(http.call("GET", templates + "?limit=1&after=" + first.path("id").asText(), token,
                    null), 200);
            assertThat(second.path("data").get(0).path("language").asText()).isEqualTo("hi");
            assertThat(second.path("paging").has("next")).isFalse();
            assertThat(expect(http.call("GET", templates + "?status=REJECTED", token, null), 200).path("data")).isEmpty();
            assertThat(expect(http.call("GET", templates + "?name=order_shipped&fields=name,status", token, null), 200)
                    .path("data").get(0).has("components")).isFalse();

            // Approved in its language: it goes; another name, or another language, is Meta's 132001.
            String sent = harness.api.expect(202, "/v1/messages", token, template("+15550003002", "order_shipped", "en_US"))
                    .path("messages").get(0).path("id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550003002").isEmpty());
            assertThat(sent).isNotBlank();
            Http.Answer unknown = http.call("POST", "/v1/messages", token, template("+15550003003", "anything", "en"));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.code()).isEqualTo("unknown_template");
            assertThat(unknown.body().at("/error/field").asText()).isEqualTo("template.name");
            assertThat(http.call("POST", "/v1/messages", token, template("+15550003003", "order_shipped", "fr")).code())
                    .isEqualTo("unknown_template");
            assertGraph(http.call("POST", V + NUMBER.substring(1) + "/messages", token, map("messaging_product",
                    "whatsapp", "to", "15550003003", "type", "template", "template", map("name", "anything",
                            "language", map("code", "en")))), 132001, "anything");
            assertThat(harness.network.received("+15550003003")).isEmpty();

            // Another project neither sees these nor is bound by them.
            assertThat(http.call("GET", templates, other, null).body().at("/error/error_subcode").asInt()).isEqualTo(33);
            harness.api.expect(202, "/v1/messages", other, map("from", "+919800000002", "to", "+15550003004", "type",
                    "template", "template", map("name", "order_shipped", "language", map("code", "fr"))));

            expect(http.call("DELETE", templates + "?name=order_shipped", token, null), 200);
            assertThat(expect(http.call("GET", templates, token, null), 200).path("data")).isEmpty();
            assertThat(http.call("DELETE", templates + "?name=order_shipped", token, null).body().at("/error/code").asInt())
                    .isEqualTo(100);
            // The registry is empty again: the bench sends any template once more.
            harness.api.expect(202, "/v1/messages", token, template("+15550003005", "anything", "en"));
        }
    }

    private static Map<String, Object> template(String to, String name, String language) {
        return map("from", NUMBER, "to", to, "type", "template", "template", map("name", name, "language",
                map("code", language), "components", List.of(map("type", "body", "parameters",
                        List.of(map("type", "text", "text", "4711"))))));
    }

    private static Map<String, Object> orderShipped(String language) {
        return map("name", "order_shipped", "language", language, "category", "UTILITY", "components", List.of(
                map("type", "HEADER", "format", "TEXT", "text", "Your order"),
                map("type", "BODY", "text", "Order {{1}} has shipped.", "example", map("body_text", List.of(List.of("4711")))),
                map("type", "FOOTER", "text", "Lucky Shrub"),
                map("type", "BUTTONS", "buttons", List.of(map("type", "QUICK_REPLY", "text", "Track it")))));
    }

    private static JsonNode expect(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer.body();
    }

    /** A Graph error of Meta's {@code code}, its details naming {@code field}. */
    private static void assertGraph(Http.Answer answer, int code, String field) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.body().at("/error/code").asInt()).as(answer.body().toString()).isEqualTo(code);
        assertThat(answer.body().at("/error/message").asText()).startsWith("(#" + code + ") ");
        assertThat(answer.body().at("/error/error_data/details").asText()).contains(field);
    }
}
