package io.switchboard.app;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.Counter;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad request gets a clear 4xx naming the code and the field, and writes nothing. */
class BadInputTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";

    @TempDir static Path tempDir;
    static Harness harness;
    static String token;
    static String otherToken;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
        token = harness.project("Shop");
        harness.number(token, NUMBER, 50);
        otherToken = harness.project("Someone else");
        harness.number(otherToken, "+919800000002", 50);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static Stream<Arguments> badMessages() {
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) tooMany.add(text(NUMBER, USER, "hi " + i));
        return Stream.of(
                Arguments.of("not JSON", "{\"to\": ", "invalid_json", null),
                Arguments.of("a number of no project", text("+919811111111", USER, "hi"), "unknown_number", "from"),
                Arguments.of("another project's number", text("+919800000002", USER, "hi"), "unknown_number", "from"),
                Arguments.of("a recipient not in E.164", text(NUMBER, "9800000001", "hi"), "invalid_recipient", "to"),
                Arguments.of("a recipient with letters", text(NUMBER, "+1555abc0042", "hi"), "invalid_recipient", "to"),
                Arguments.of("an empty body", text(NUMBER, USER, ""), "empty_body", "text.body"),
                Arguments.of("a body over 4,096 characters", text(NUMBER, USER, "x".repeat(4_097)), "body_too_long", "text.body"),
                Arguments.of("an unknown priority", Map.of("from", NUMBER, "to", USER, "type", "text",
                        "text", Map.of("body", "hi"), "priority", "asap"), "invalid_priority", "priority"),
                Arguments.of("an unsupported type", Map.of("from", NUMBER, "to", USER, "type", "hologram"),
                        "unsupported_type", "type"),
                Arguments.of("too many messages", Map.of("messages", tooMany), "too_many_messages", "messages"),
                Arguments.of("one bad message among good ones", Map.of("messages", List.of(text(NUMBER, USER, "fine"),
                        text(NUMBER, "+0123", "bad"), text(NUMBER, USER, "also fine"))), "invalid_recipient", "messages[1].to"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void aBadMessageIsRefusedWithItsCodeAndFieldAndNothingIsWritten(String what, Object body, String code, String field)
            throws Exception {
        long before = storedMessages();
        ApiClient.Answer answer = harness.api.post("/v1/messages", token, body);

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        if (field == null) assertThat(error.has("field")).isFalse();
        else assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(storedMessages()).isEqualTo(before);
    }

    @Test
    void aMissingOrWrongTokenIs401AndWritesNothing() throws Exception {
        long before = storedMessages();
        for (String wrong : List.of("", "sb_not-a-real-token", harness.adminToken)) {
            ApiClient.Answer answer = harness.api.post("/v1/messages", wrong, text(NUMBER, USER, "hi"));
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body().path("error").path("code").asText()).isEqualTo("unauthorized");
        }
        assertThat(harness.api.post("/v1/projects", token, Map.of("name", "sneaky")).status())
                .as("a project token cannot create projects").isEqualTo(401);
        assertThat(storedMessages()).isEqualTo(before);
        assertThat(harness.network.stats().get(Counter.RECEIVED)).isZero();
    }

    @Test
    void anotherProjectsMessageIsNotFound() throws Exception {
        String id = harness.api.expect(202, "/v1/messages", otherToken, text("+919800000002", USER, "mine"))
                .path("messages").get(0).path("id").asText();
        assertThat(harness.api.get("/v1/messages/" + id, otherToken).status()).isEqualTo(200);
        ApiClient.Answer answer = harness.api.get("/v1/messages/" + id, token);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void anUnknownRouteOrAnUndecodablePathIsAnsweredInTheErrorShape() throws Exception {
        ApiClient.Answer answer = harness.api.get("/v1/nothing-here", token);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("not_found");
        // A path Jetty refuses to decode (an encoded NUL): its refusal in the same shape, not Jetty's HTML page.
        Http.Answer undecodable = new Http(harness.node.httpPort()).call("GET", "/v1/messages/%00", token, null);
        assertThat(List.of(undecodable.status(), undecodable.code())).isEqualTo(List.of(400, "bad_request"));
        // Also for a client that says it sends and wants JSON (Javalin's own answer would be text/plain then).
        Http.Answer withJsonHeaders = new Http(harness.node.httpPort()).call("PATCH", "/v1/numbers/", token, "null");
        assertThat(List.of(withJsonHeaders.status(), withJsonHeaders.code())).isEqualTo(List.of(404, "not_found"));
    }

    @Test
    void badNumberSettingsAreRefused() throws Exception {
        assertThat(harness.api.post("/v1/numbers", token, Map.of("number", "+919800000009", "tps", 20, "shards", 3))
                .body().path("error").path("field").asText()).isEqualTo("shards");
        assertThat(harness.api.post("/v1/numbers", token, Map.of("number", "919800000009", "tps", 20))
                .body().path("error").path("code").asText()).isEqualTo("invalid_number");
        assertThat(harness.api.post("/v1/numbers", token, Map.of("number", "+919800000009", "tps", 0))
                .body().path("error").path("field").asText()).isEqualTo("tps");
        ApiClient.Answer taken = harness.api.post("/v1/numbers", token, Map.of("number", NUMBER, "tps", 20));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body().path("error").path("code").asText()).isEqualTo("number_taken");
    }

    private static long storedMessages() {
        return harness.node.messageCount();
    }
}
