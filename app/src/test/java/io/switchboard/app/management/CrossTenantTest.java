package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.testing.Routes;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Project A's token, even one with every scope, against every route the node serves (from Javalin's router, so a
 * route added later without a case here fails this test): B's messages, numbers, usage, tokens, dead letters,
 * settings and secret are not found (404, the same answer as for what does not exist, so ids do not leak), not
 * listed, not cancelled and not changed; the admin-only routes refuse a project's token (401). Only routes that
 * show no project's data are public, and they are listed here by name.
 */
class CrossTenantTest {
    private static final String A_NUMBER = "+919800000001";
    private static final String B_NUMBER = "+919800000002";
    private static final String NOBODYS_NUMBER = "+919899999999";
    private static final String USER = "+15550000042";
    /** Routes that show no project's data: health, readiness, the API's description, and the pages' static parts. */
    private static final Set<String> PUBLIC = Set.of("GET /health", "GET /ready", "GET /openapi.json", "GET /docs",
            "GET /docs/assets/{}", "GET /dashboard", "GET /dashboard/assets/{}", "POST /dashboard/login",
            "POST /dashboard/logout");

    @TempDir Path tempDir;

    /** One route's check: A's token tries to reach B's things there. */
    @FunctionalInterface
    interface Case {
        void check() throws Exception;
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void projectAsTokenNeitherSeesNorChangesAnythingOfProjectBOnAnyRoute(TestStores.Kind kind) throws Exception {
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
            Map<String, Object> later = new java.util.HashMap<>(text(B_NUMBER, USER, "B's plan"));
            later.put("schedule_at", Instant.now().plus(Duration.ofDays(1)).toString());
            String bScheduled = harness.api.expect(202, "/v1/messages", b, later).path("messages").get(0).path("id").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(B_NUMBER, USER, "B's customer writes"));
            JsonNode bDead = await().atMost(Duration.ofSeconds(20)).until(
                    () -> http.call("GET", "/v1/webhooks/failed", b, null).body().path("failed"), failed -> failed.size() == 1)
                    .get(0);
            String bIn = bDead.path("message_id").asText();
            String bSecret = http.call("GET", "/v1/project/webhook-secret", b, null).body().path("secret").asText();
            String unknownId = "0" + bOut.substring(1, bOut.length() - 1) + (bOut.endsWith("0") ? "1" : "0");

            Map<String, Case> cases = new LinkedHashMap<>();
            cases.put("GET /v1/messages/{}", () -> {
                for (String id : List.of(bOut, bIn, bScheduled)) {
                    Http.Answer answer = http.call("GET", "/v1/messages/" + id, a, null);
                    assertThat(List.of(answer.status(), answer.code())).as("GET B's message " + id).isEqualTo(List.of(404, "not_found"));
                    assertThat(answer.body().toString()).doesNotContain("B's");
                }
                assertThat(http.call("GET", "/v1/messages/" + unknownId, a, null).status()).isEqualTo(404);
            });
            cases.put("DELETE /v1/messages/{}", () -> {
                Http.Answer cancel = http.call("DELETE", "/v1/messages/" + bScheduled, a, null);
                Http.Answer cancelNone = http.call("DELETE", "/v1/messages/" + unknownId, a, null);
                assertThat(List.of(cancel.status(), cancel.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(cancelNone.status(), cancelNone.code()));
                assertThat(http.call("GET", "/v1/messages/" + bScheduled, b, null).body().path("status").asText())
                        .as("B's message is still waiting").isEqualTo("scheduled");
            });
            cases.put("POST /v1/messages", () -> {
                Http.Answer send = http.call("POST", "/v1/messages", a, text(B_NUMBER, USER, "as B"));
                Http.Answer sendNone = http.call("POST", "/v1/messages", a, text(NOBODYS_NUMBER, USER, "as nobody"));
                assertThat(List.of(send.status(), send.code(), send.body().path("error").path("field").asText()))
                        .isEqualTo(List.of(sendNone.status(), sendNone.code(), sendNone.body().path("error").path("field").asText()))
                        .isEqualTo(List.of(400, "unknown_number", "from"));
            });
            cases.put("GET /v1/numbers", () -> {
                assertThat(http.call("GET", "/v1/numbers", a, null).body().path("numbers").findValuesAsText("number"))
                        .containsExactly(A_NUMBER);
            });
            cases.put("POST /v1/numbers", () -> {
                // Numbers are unique on the node, so B's is taken; A learns nothing more and gets nothing of it.
                Http.Answer take = http.call("POST", "/v1/numbers", a, Map.of("number", B_NUMBER, "tps", 1));
                assertThat(List.of(take.status(), take.code())).isEqualTo(List.of(409, "number_taken"));
                assertThat(http.call("GET", "/v1/numbers", b, null).body().path("numbers").findValues("tps"))
                        .extracting(JsonNode::asInt).containsExactly(100);
            });
            cases.put("PATCH /v1/numbers/{}", () -> {
                Http.Answer patch = http.call("PATCH", "/v1/numbers/" + B_NUMBER, a, Map.of("tps", 1));
                Http.Answer patchNone = http.call("PATCH", "/v1/numbers/" + NOBODYS_NUMBER, a, Map.of("tps", 1));
                assertThat(List.of(patch.status(), patch.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(patchNone.status(), patchNone.code()));
                assertThat(http.call("GET", "/v1/numbers", b, null).body().path("numbers").findValues("tps"))
                        .extracting(JsonNode::asInt).containsExactly(100);
            });
            cases.put("GET /v1/numbers/{}/usage", () -> {
                Http.Answer usage = http.call("GET", "/v1/numbers/" + B_NUMBER + "/usage", a, null);
                Http.Answer usageNone = http.call("GET", "/v1/numbers/" + NOBODYS_NUMBER + "/usage", a, null);
                assertThat(List.of(usage.status(), usage.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(usageNone.status(), usageNone.code()));
            });
            cases.put("GET /v1/cluster", () -> {
                JsonNode cluster = http.call("GET", "/v1/cluster", a, null).body();
                assertThat(cluster.path("shards").findValuesAsText("number")).as(cluster.toString()).containsOnly(A_NUMBER);
            });
            cases.put("GET /v1/project", () ->
                    assertThat(http.call("GET", "/v1/project", a, null).body().path("name").asText()).isEqualTo("A"));
            cases.put("PATCH /v1/project", () -> {
                assertThat(http.call("PATCH", "/v1/project", a, Map.of("name", "A", "events_enabled", false)).status()).isEqualTo(200);
                JsonNode stillB = http.call("GET", "/v1/project", b, null).body();
                assertThat(List.of(stillB.path("name").asText(), stillB.path("events_enabled").asBoolean())).isEqualTo(List.of("B", true));
            });
            cases.put("GET /v1/project/webhook-secret", () ->
                    assertThat(http.call("GET", "/v1/project/webhook-secret", a, null).body().path("secret").asText())
                            .isNotEqualTo(bSecret));
            cases.put("POST /v1/project/webhook-secret/rotate", () -> {
                assertThat(http.call("POST", "/v1/project/webhook-secret/rotate", a, Map.of()).status()).isEqualTo(200);
                assertThat(http.call("GET", "/v1/project/webhook-secret", b, null).body().path("secret").asText())
                        .as("B's secret is untouched").isEqualTo(bSecret);
            });
            cases.put("GET /v1/tokens", () ->
                    assertThat(http.call("GET", "/v1/tokens", a, null).body().path("tokens").findValuesAsText("id"))
                            .doesNotContain(bToken.path("id").asText(), projectB.path("id").asText()).hasSize(1));
            cases.put("POST /v1/tokens", () -> {
                String made = http.call("POST", "/v1/tokens", a, Map.of("name", "A's admin", "scopes", List.of("admin", "read")))
                        .body().path("token").asText();
                assertThat(http.call("GET", "/v1/project", made, null).body().path("name").asText()).isEqualTo("A");
                assertThat(http.call("GET", "/v1/tokens", b, null).body().path("tokens")).as("B's tokens").hasSize(2);
            });
            cases.put("DELETE /v1/tokens/{}", () -> {
                for (String id : List.of(bToken.path("id").asText(), projectB.path("id").asText())) {
                    Http.Answer revoke = http.call("DELETE", "/v1/tokens/" + id, a, null);
                    assertThat(List.of(revoke.status(), revoke.code())).as("revoke B's token " + id).isEqualTo(List.of(404, "not_found"));
                }
                assertThat(http.call("GET", "/v1/project", bToken.path("token").asText(), null).status()).isEqualTo(200);
            });
            cases.put("GET /v1/webhooks", () ->
                    assertThat(http.call("GET", "/v1/webhooks", a, null).body().path("dead_letters").asInt()).isZero());
            cases.put("GET /v1/webhooks/failed", () ->
                    assertThat(http.call("GET", "/v1/webhooks/failed", a, null).body().path("failed")).isEmpty());
            cases.put("POST /v1/webhooks/replay", () -> {
                assertThat(http.call("POST", "/v1/webhooks/replay", a, Map.of("ids", List.of(bDead.path("id").asText())))
                        .body().path("replayed").asInt()).isZero();
                assertThat(http.call("POST", "/v1/webhooks/replay", a, Map.of()).body().path("replayed").asInt()).isZero();
                assertThat(http.call("GET", "/v1/webhooks/failed", b, null).body().path("failed")).hasSize(1);
            });
            cases.put("GET /dashboard/data", () -> {
                Http.Answer data = http.call("GET", "/dashboard/data", a, null);
                assertThat(data.body().path("viewer").path("name").asText()).isEqualTo("A");
                assertThat(data.body().toString()).doesNotContain(B_NUMBER);
            });
            cases.put("GET /dashboard/stream", () -> {
                String hello = firstEvent(harness, a);
                assertThat(hello).contains("\"viewer\"").contains(A_NUMBER).doesNotContain(B_NUMBER);
            });
            // The node admin's routes: a project's token, even with every scope, is no admin token.
            cases.put("POST /v1/projects", () -> {
                Http.Answer make = http.call("POST", "/v1/projects", a, Map.of("name", "A's own"));
                assertThat(List.of(make.status(), make.code())).isEqualTo(List.of(401, "unauthorized"));
            });
            cases.put("GET /metrics", () -> {
                Http.Answer metrics = http.call("GET", "/metrics", a, null);
                assertThat(List.of(metrics.status(), metrics.code())).isEqualTo(List.of(401, "unauthorized"));
            });

            Set<String> needCases = new TreeSet<>(Routes.registered(harness.node));
            needCases.removeAll(PUBLIC);
            assertThat(cases.keySet()).as("a cross-tenant case for every route that is not public")
                    .containsExactlyInAnyOrderElementsOf(needCases);
            for (Map.Entry<String, Case> route : cases.entrySet()) {
                try {
                    route.getValue().check();
                } catch (AssertionError e) {
                    throw new AssertionError(route.getKey() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The live stream's first event (the hello) as A's token sees it. */
    private static String firstEvent(Harness harness, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + "/dashboard/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) return line.substring(5);
            }
        }
        throw new AssertionError("the stream ended before its first event");
    }
}
