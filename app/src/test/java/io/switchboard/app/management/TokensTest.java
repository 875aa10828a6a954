package io.switchboard.app.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
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

/** A project's tokens through the API: made with scopes and shown once, listed without the secret, revoked. */
class TokensTest {
    @TempDir static Path tempDir;
    static Harness harness;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
        http = new Http(harness.node.httpPort());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void aNewTokenIsShownOnceAndListedWithoutIt() throws Exception {
        JsonNode project = harness.createProject("Shop", Map.of());
        String first = project.path("token").asText();

        Http.Answer made = http.call("POST", "/v1/tokens", first, Map.of("name", "ci", "scopes", List.of("read", "send")));

        assertThat(made.status()).as(made.body().toString()).isEqualTo(201);
        String token = made.body().path("token").asText();
        assertThat(token).startsWith("sb_").hasSizeGreaterThan(40);
        assertThat(made.body().path("name").asText()).isEqualTo("ci");
        assertThat(labels(made.body().path("scopes"))).containsExactly("send", "read");
        assertThat(made.body().path("last_used").isNull()).isTrue();

        Http.Answer list = http.call("GET", "/v1/tokens", first, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().toString()).doesNotContain(token).doesNotContain(first);
        assertThat(list.body().path("tokens")).extracting(t -> t.path("name").asText()).containsExactly("first", "ci");
        JsonNode firstToken = list.body().path("tokens").get(0);
        assertThat(firstToken.path("id").asText()).isEqualTo(project.path("id").asText());
        assertThat(labels(firstToken.path("scopes"))).as("a project's first token has every scope")
                .containsExactly("send", "read", "admin");
        assertThat(list.body().path("tokens")).allSatisfy(t -> assertThat(t.has("token")).isFalse());
        assertThat(http.call("GET", "/v1/project", token, null).status()).isEqualTo(200);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceOnItsNode() throws Exception {
        String first = harness.project("Shop");
        JsonNode made = http.call("POST", "/v1/tokens", first, Map.of("name", "old", "scopes", List.of("read"))).body();
        String token = made.path("token").asText();
        assertThat(http.call("GET", "/v1/project", token, null).status()).isEqualTo(200);

        Http.Answer revoked = http.call("DELETE", "/v1/tokens/" + made.path("id").asText(), first, null);

        assertThat(revoked.status()).isEqualTo(204);
        Http.Answer refused = http.call("GET", "/v1/project", token, null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("unauthorized");
        assertThat(http.call("DELETE", "/v1/tokens/" + made.path("id").asText(), first, null).status()).isEqualTo(404);
        assertThat(http.call("GET", "/v1/tokens", first, null).body().path("tokens")).hasSize(1);
    }

    @Test
    void theProjectsLastAdminTokenCannotBeRevoked() throws Exception {
        JsonNode project = harness.createProject("Shop", Map.of());
        String first = project.path("token").asText();
        String firstId = project.path("id").asText();

        Http.Answer refused = http.call("DELETE", "/v1/tokens/" + firstId, first, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("last_admin_token");

        String admin = http.call("POST", "/v1/tokens", first, Map.of("name", "admin 2", "scopes", List.of("admin")))
                .body().path("token").asText();
        assertThat(http.call("DELETE", "/v1/tokens/" + firstId, admin, null).status()).isEqualTo(204);
        assertThat(http.call("GET", "/v1/tokens", first, null).status()).isEqualTo(401);
        assertThat(http.call("GET", "/v1/tokens", admin, null).status()).isEqualTo(200);
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("no name", Map.of("scopes", List.of("read")), "missing_field", "name"),
                Arguments.of("a blank name", Map.of("name", " ", "scopes", List.of("read")), "missing_field", "name"),
                Arguments.of("a name over 100 characters", Map.of("name", "n".repeat(101), "scopes", List.of("read")),
                        "too_long", "name"),
                Arguments.of("no scopes", Map.of("name", "x"), "invalid_scopes", "scopes"),
                Arguments.of("empty scopes", Map.of("name", "x", "scopes", List.of()), "invalid_scopes", "scopes"),
                Arguments.of("scopes as a string", Map.of("name", "x", "scopes", "read"), "invalid_scopes", "scopes"),
                Arguments.of("an unknown scope", Map.of("name", "x", "scopes", List.of("read", "write")),
                        "invalid_scope", "scopes[1]"),
                Arguments.of("a repeated scope", Map.of("name", "x", "scopes", List.of("read", "read")),
                        "invalid_scope", "scopes[1]"),
                Arguments.of("a scope that is not text", Map.of("name", "x", "scopes", List.of(1)), "invalid_scope",
                        "scopes[0]"),
                Arguments.of("not JSON", "{\"name\":", "invalid_json", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenRequestIsRefusedWithItsFieldAndMakesNoToken(String what, Object body, String code, String field)
            throws Exception {
        String first = harness.project("Shop");

        Http.Answer answer = http.call("POST", "/v1/tokens", first, body);

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(code);
        if (field == null) assertThat(answer.body().path("error").has("field")).isFalse();
        else assertThat(answer.body().path("error").path("field").asText()).isEqualTo(field);
        assertThat(http.call("GET", "/v1/tokens", first, null).body().path("tokens")).hasSize(1);
    }

    @Test
    void aProjectHoldsAtMostAHundredTokens() throws Exception {
        String first = harness.project("Shop");
        for (int i = 1; i < 100; i++) {
            assertThat(http.call("POST", "/v1/tokens", first, Map.of("name", "t" + i, "scopes", List.of("read"))).status())
                    .isEqualTo(201);
        }
        Http.Answer refused = http.call("POST", "/v1/tokens", first, Map.of("name", "one too many", "scopes", List.of("read")));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("too_many_tokens");
        List<String> names = new ArrayList<>();
        String after = "";
        do {
            JsonNode page = http.call("GET", "/v1/tokens?limit=30&after=" + after, first, null).body();
            page.path("tokens").forEach(t -> names.add(t.path("name").asText()));
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        assertThat(names).hasSize(100).doesNotContain("one too many");
    }

    @Test
    void aTokensLastUseIsRecorded() throws Exception {
        String first = harness.project("Shop");
        JsonNode made = http.call("POST", "/v1/tokens", first, Map.of("name", "reader", "scopes", List.of("read"))).body();
        long before = System.currentTimeMillis();

        http.call("GET", "/v1/project", made.path("token").asText(), null);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode listed = http.call("GET", "/v1/tokens", first, null).body().path("tokens").get(1);
            assertThat(listed.path("last_used").isTextual()).as(listed.toString()).isTrue();
            assertThat(java.time.Instant.parse(listed.path("last_used").asText()).toEpochMilli())
                    .isBetween(before - 1_000, System.currentTimeMillis());
        });
    }

    private static List<String> labels(JsonNode array) {
        List<String> labels = new ArrayList<>();
        array.forEach(node -> labels.add(node.asText()));
        return labels;
    }
}
