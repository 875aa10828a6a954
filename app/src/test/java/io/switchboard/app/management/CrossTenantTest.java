package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Project A's token, even one with every scope, against every endpoint that names or lists project B's things: B's
 * messages, numbers, usage, tokens and dead letters are not found (404, the same answer as for an id that does not
 * exist, so ids do not leak), not listed, and not changed.
 */
class CrossTenantTest {
    private static final String A_NUMBER = "+919800000001";
    private static final String B_NUMBER = "+919800000002";
    private static final String USER = "+15550000042";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void projectAsTokenNeitherSeesNorChangesAnythingOfProjectB(TestStores.Kind kind) throws Exception {
        Map<String, Object> quickDeadLetters = Map.of("webhooks.retry-first-ms", 100, "webhooks.retry-max-ms", 200,
                "webhooks.retry-window-s", 1);
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0.0), quickDeadLetters)) {
            Http http = new Http(harness.node.httpPort());
            String a = harness.project("A");
            harness.number(a, A_NUMBER, 100);
            JsonNode projectB = harness.createProject("B", Map.of("webhook_url", harness.receiver.url("/b-webhook")));
            String b = projectB.path("token").asText();
            harness.number(b, B_NUMBER, 100);
            harness.receiver.answer(call -> call.path().equals("/b-webhook") ? new Receiver.Answer(500, "{}")
                    : Receiver.Answer.ok());
            JsonNode bToken = http.call("POST", "/v1/tokens", b, Map.of("name", "B's reader", "scopes", List.of("read"))).body();
            String bOut = harness.api.expect(202, "/v1/messages", b, text(B_NUMBER, USER, "B's secret offer"))
                    .path("messages").get(0).path("id").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(B_NUMBER, USER, "B's customer writes"));
            JsonNode bDead = await().atMost(Duration.ofSeconds(20)).until(
                    () -> http.call("GET", "/v1/webhooks/failed", b, null).body().path("failed"), failed -> failed.size() == 1)
                    .get(0);
            String bIn = bDead.path("message_id").asText();
            String unknownId = "0" + bOut.substring(1, bOut.length() - 1) + (bOut.endsWith("0") ? "1" : "0");

            // Reading or cancelling B's messages: not found, exactly like a message that does not exist.
            for (String id : List.of(bOut, bIn)) {
                Http.Answer answer = http.call("GET", "/v1/messages/" + id, a, null);
                assertThat(answer.status()).as("GET B's message " + id).isEqualTo(404);
                assertThat(answer.code()).isEqualTo("not_found");
                assertThat(answer.body().toString()).doesNotContain("B's");
            }
            assertThat(http.call("GET", "/v1/messages/" + unknownId, a, null).status()).isEqualTo(404);
            // (DELETE /v1/messages/{id}, cancelling, belongs in this list once it exists.)

            // B's number: not changed, no usage shown, not sent from; as if it did not exist.
            Http.Answer patch = http.call("PATCH", "/v1/numbers/" + B_NUMBER, a, Map.of("tps", 1));
            Http.Answer patchNone = http.call("PATCH", "/v1/numbers/+919899999999", a, Map.of("tps", 1));
            assertThat(List.of(patch.status(), patch.code())).isEqualTo(List.of(404, "not_found"))
                    .isEqualTo(List.of(patchNone.status(), patchNone.code()));
            Http.Answer usage = http.call("GET", "/v1/numbers/" + B_NUMBER + "/usage", a, null);
            Http.Answer usageNone = http.call("GET", "/v1/numbers/+919899999999/usage", a, null);
            assertThat(List.of(usage.status(), usage.code())).isEqualTo(List.of(404, "not_found"))
                    .isEqualTo(List.of(usageNone.status(), usageNone.code()));
            Http.Answer send = http.call("POST", "/v1/messages", a, text(B_NUMBER, USER, "as B"));
            Http.Answer sendNone = http.call("POST", "/v1/messages", a, text("+919899999999", USER, "as nobody"));
            assertThat(List.of(send.status(), send.code(), send.body().path("error").path("field").asText()))
                    .isEqualTo(List.of(sendNone.status(), sendNone.code(), sendNone.body().path("error").path("field").asText()));
            assertThat(http.call("GET", "/v1/numbers", a, null).body().path("numbers").findValuesAsText("number"))
                    .containsExactly(A_NUMBER);
            assertThat(http.call("GET", "/v1/numbers", b, null).body().path("numbers").findValues("tps"))
                    .extracting(JsonNode::asInt).containsExactly(100);

            JsonNode cluster = http.call("GET", "/v1/cluster", a, null).body();
            assertThat(cluster.path("shards").findValuesAsText("number")).as(cluster.toString()).containsOnly(A_NUMBER);

            // B's tokens: not listed, not revoked (the first one's id is B's project id).
            for (String id : List.of(bToken.path("id").asText(), projectB.path("id").asText())) {
                Http.Answer revoke = http.call("DELETE", "/v1/tokens/" + id, a, null);
                assertThat(List.of(revoke.status(), revoke.code())).as("revoke B's token " + id)
                        .isEqualTo(List.of(404, "not_found"));
            }
            assertThat(http.call("GET", "/v1/project", bToken.path("token").asText(), null).status()).isEqualTo(200);
            assertThat(http.call("GET", "/v1/tokens", a, null).body().path("tokens").findValuesAsText("id"))
                    .doesNotContain(bToken.path("id").asText(), projectB.path("id").asText()).hasSize(1);

            // B's dead letters: not listed, not counted, not replayed.
            assertThat(http.call("GET", "/v1/webhooks/failed", a, null).body().path("failed")).isEmpty();
            assertThat(http.call("GET", "/v1/webhooks", a, null).body().path("dead_letters").asInt()).isZero();
            assertThat(http.call("POST", "/v1/webhooks/replay", a, Map.of("ids", List.of(bDead.path("id").asText())))
                    .body().path("replayed").asInt()).isZero();
            assertThat(http.call("POST", "/v1/webhooks/replay", a, Map.of()).body().path("replayed").asInt()).isZero();
            assertThat(http.call("GET", "/v1/webhooks/failed", b, null).body().path("failed")).hasSize(1);

            // A's own project and secret are A's.
            assertThat(http.call("GET", "/v1/project", a, null).body().path("name").asText()).isEqualTo("A");
            assertThat(http.call("GET", "/v1/project/webhook-secret", a, null).body().path("secret").asText())
                    .isNotEqualTo(projectB.path("webhook_secret").asText());
        }
    }
}
