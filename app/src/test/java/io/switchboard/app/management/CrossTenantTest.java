package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.testing.Routes;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
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
    /** Numbers on Meta's Cloud API (each project's own stand-in of it), with Meta's ids for them. */
    private static final String A_CLOUD = "+15550001111";
    private static final String B_CLOUD = "+15550002222";
    private static final String A_PHONE_ID = "106540352242001";
    private static final String B_PHONE_ID = "106540352242002";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_GROUP = "12036399999999@g.us";
    /**
     * Routes that show no project's data: health, readiness, the API's description, and the pages' static parts; the
     * Push API, which takes its token in the body (its case is below all the same); and Meta's webhooks for numbers on
     * its Cloud API, which take no token but the signature of the app secret of every number they name (their case
     * below: a body signed for A's number cannot reach B's), and whose handshake only echoes a challenge.
     */
    private static final Set<String> PUBLIC = Set.of("GET /health", "GET /ready", "GET /openapi.json", "GET /docs",
            "GET /docs/assets/{}", "GET /dashboard", "GET /dashboard/assets/{}", "POST /dashboard/login",
            "POST /dashboard/logout", "POST /api/v2/push", "GET /upstream/cloud/webhook", "POST /upstream/cloud/webhook");

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
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0.0), quickDeadLetters);
             CloudApiStandIn aMeta = new CloudApiStandIn(A_PHONE_ID, "a-access-token", "a-app-secret");
             CloudApiStandIn bMeta = new CloudApiStandIn(B_PHONE_ID, "b-access-token", "b-app-secret")) {
            Http http = new Http(harness.node.httpPort());
            Uploads media = new Uploads(harness.node.httpPort());
            String a = harness.project("A");
            harness.number(a, A_NUMBER, 100);
            JsonNode projectB = harness.createProject("B", Map.of("webhook_url", harness.receiver.url("/b-webhook")));
            String b = projectB.path("token").asText();
            harness.number(b, B_NUMBER, 100);
            for (CloudApiStandIn meta : List.of(aMeta, bMeta)) {
                meta.webhookUrl("http://127.0.0.1:" + harness.node.httpPort() + "/upstream/cloud/webhook");
            }
            harness.api.expect(201, "/v1/numbers", a, Map.of("number", A_CLOUD, "tps", 20, "upstream", upstream(aMeta, A_PHONE_ID, "a")));
            harness.api.expect(201, "/v1/numbers", b, Map.of("number", B_CLOUD, "tps", 20, "upstream", upstream(bMeta, B_PHONE_ID, "b")));
            String bMedia = media.uploaded(b, B_NUMBER, Uploads.file(2_000), "image/jpeg");
            awaitConnected(harness, B_NUMBER);
            List<String> members = harness.network.users().subList(0, 3);
            JsonNode madeGroup = http.call("POST", "/v1/groups", b, Map.of("from", B_NUMBER, "subject", "B's club",
                    "members", members.subList(0, 2))).body();
            String bGroupId = madeGroup.path("id").asText();
            assertThat(bGroupId).as("%s", madeGroup).endsWith("@g.us");
            JsonNode bGroup = http.call("GET", "/v1/groups/" + bGroupId, b, null).body();
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
            String bInNetworkId = http.call("GET", "/v1/messages/" + bIn, b, null).body().path("network_id").asText();
            assertThat(http.call("GET", "/v1/contacts?number=" + enc(B_NUMBER), b, null).body().path("contacts")
                    .findValuesAsText("user")).as("B's contact").containsExactly(USER);
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
            cases.put("GET /v1/messages", () -> {
                assertThat(http.call("GET", "/v1/messages?limit=1000", b, null).body().path("messages").findValuesAsText("id"))
                        .as("B sees its own history").contains(bOut, bIn, bScheduled);
                for (String query : List.of("", "?user=" + enc(USER), "?direction=in", "?status=scheduled")) {
                    JsonNode page = http.call("GET", "/v1/messages" + query, a, null).body();
                    assertThat(page.path("messages").findValuesAsText("id")).as(query).doesNotContain(bOut, bIn, bScheduled);
                    assertThat(page.toString()).as(query).doesNotContain("B's");
                }
                Http.Answer theirs = http.call("GET", "/v1/messages?number=" + enc(B_NUMBER), a, null);
                Http.Answer none = http.call("GET", "/v1/messages?number=" + enc(NOBODYS_NUMBER), a, null);
                assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(none.status(), none.code()));
            });
            cases.put("GET /v1/messages/export", () -> {
                assertThat(exported(harness, b, "")).as("B's export").contains(bOut, bIn, bScheduled);
                String aExport = exported(harness, a, "?user=" + enc(USER)) + exported(harness, a, "");
                assertThat(aExport).doesNotContain(bOut).doesNotContain(bIn).doesNotContain(bScheduled).doesNotContain("B's");
                Http.Answer theirs = http.call("GET", "/v1/messages/export?number=" + enc(B_NUMBER), a, null);
                Http.Answer none = http.call("GET", "/v1/messages/export?number=" + enc(NOBODYS_NUMBER), a, null);
                assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(none.status(), none.code()));
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
                // From A's own number, B's media and B's group are as unknown as media and groups that do not exist.
                Http.Answer withMedia = http.call("POST", "/v1/messages", a, Map.of("from", A_NUMBER, "to", USER,
                        "type", "image", "image", Map.of("id", bMedia)));
                assertThat(List.of(withMedia.status(), withMedia.code())).as("%s", withMedia.body())
                        .isEqualTo(List.of(400, "unknown_media"));
                Http.Answer toGroup = http.call("POST", "/v1/messages", a, text(A_NUMBER, bGroupId, "into B's club"));
                Http.Answer toNoGroup = http.call("POST", "/v1/messages", a, text(A_NUMBER, NO_GROUP, "into no club"));
                assertThat(List.of(toGroup.status(), toGroup.code())).as("%s", toGroup.body())
                        .isEqualTo(List.of(toNoGroup.status(), toNoGroup.code())).isEqualTo(List.of(400, "unknown_group"));
            });
            cases.put("GET /v1/numbers", () -> {
                JsonNode numbers = http.call("GET", "/v1/numbers", a, null).body().path("numbers");
                assertThat(numbers.findValuesAsText("number")).containsExactlyInAnyOrder(A_NUMBER, A_CLOUD);
                assertThat(numbers.findValuesAsText("phone_number_id")).containsExactly(A_PHONE_ID);
            });
            cases.put("POST /v1/numbers", () -> {
                // Numbers are unique on the node, so B's is taken; A learns nothing more and gets nothing of it. So
                // is the Meta id B's number is connected to.
                Http.Answer take = http.call("POST", "/v1/numbers", a, Map.of("number", B_NUMBER, "tps", 1));
                assertThat(List.of(take.status(), take.code())).isEqualTo(List.of(409, "number_taken"));
                Http.Answer takeId = http.call("POST", "/v1/numbers", a, Map.of("number", NOBODYS_NUMBER, "tps", 1,
                        "upstream", upstream(aMeta, B_PHONE_ID, "a")));
                assertThat(List.of(takeId.status(), takeId.code())).as("%s", takeId.body())
                        .isEqualTo(List.of(409, "phone_number_id_taken"));
                assertThat(takeId.body().toString()).doesNotContain(B_CLOUD);
                assertThat(http.call("GET", "/v1/numbers", a, null).body().path("numbers")).as("nothing added").hasSize(2);
                assertBsNumbersUnchanged(http, b, bMeta);
            });
            cases.put("PATCH /v1/numbers/{}", () -> {
                for (Object change : List.of(Map.of("tps", 1), Map.of("upstream", upstream(aMeta, A_PHONE_ID + "9", "a")),
                        java.util.Collections.singletonMap("upstream", null))) {
                    for (String theirs : List.of(B_NUMBER, B_CLOUD)) {
                        Http.Answer patch = http.call("PATCH", "/v1/numbers/" + theirs, a, change);
                        Http.Answer patchNone = http.call("PATCH", "/v1/numbers/" + NOBODYS_NUMBER, a, change);
                        assertThat(List.of(patch.status(), patch.code())).as("%s %s", theirs, change)
                                .isEqualTo(List.of(404, "not_found")).isEqualTo(List.of(patchNone.status(), patchNone.code()));
                    }
                }
                // A's own number cannot take the Meta id of B's.
                Http.Answer takeId = http.call("PATCH", "/v1/numbers/" + A_CLOUD, a,
                        Map.of("upstream", upstream(aMeta, B_PHONE_ID, "a")));
                assertThat(List.of(takeId.status(), takeId.code())).isEqualTo(List.of(409, "phone_number_id_taken"));
                assertBsNumbersUnchanged(http, b, bMeta);
            });
            cases.put("DELETE /v1/numbers/{}", () -> {
                for (String theirs : List.of(B_NUMBER, B_CLOUD)) {
                    Http.Answer delete = http.call("DELETE", "/v1/numbers/" + theirs, a, null);
                    Http.Answer deleteNone = http.call("DELETE", "/v1/numbers/" + NOBODYS_NUMBER, a, null);
                    assertThat(List.of(delete.status(), delete.code())).as(theirs).isEqualTo(List.of(404, "not_found"))
                            .isEqualTo(List.of(deleteNone.status(), deleteNone.code()));
                }
                assertBsNumbersUnchanged(http, b, bMeta);
            });
            cases.put("DELETE /v1/projects/{}", () -> {
                // The node admin's route: no project token deletes a project, B's or its own.
                for (String id : List.of(projectB.path("id").asText(), http.call("GET", "/v1/project", a, null).body()
                        .path("id").asText())) {
                    Http.Answer delete = http.call("DELETE", "/v1/projects/" + id, a, null);
                    assertThat(List.of(delete.status(), delete.code())).isEqualTo(List.of(401, "unauthorized"));
                }
                assertThat(http.call("GET", "/v1/project", b, null).body().path("name").asText()).isEqualTo("B");
                assertBsNumbersUnchanged(http, b, bMeta);
            });
            cases.put("GET /v1/numbers/{}/usage", () -> {
                Http.Answer usage = http.call("GET", "/v1/numbers/" + B_NUMBER + "/usage", a, null);
                Http.Answer usageNone = http.call("GET", "/v1/numbers/" + NOBODYS_NUMBER + "/usage", a, null);
                assertThat(List.of(usage.status(), usage.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(usageNone.status(), usageNone.code()));
            });
            cases.put("GET /v1/cluster", () -> {
                JsonNode cluster = http.call("GET", "/v1/cluster", a, null).body();
                assertThat(cluster.path("shards").findValuesAsText("number")).as(cluster.toString()).containsOnly(A_NUMBER, A_CLOUD);
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
            addMediaCases(cases, http, media, a, b, bMedia);
            addGroupCases(cases, harness, http, a, b, bGroup, members);
            cases.put("GET /v1/contacts", () -> {
                Http.Answer theirs = http.call("GET", "/v1/contacts?number=" + enc(B_NUMBER), a, null);
                Http.Answer none = http.call("GET", "/v1/contacts?number=" + enc(NOBODYS_NUMBER), a, null);
                assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(404, "not_found"))
                        .isEqualTo(List.of(none.status(), none.code()));
                assertThat(theirs.body().toString()).doesNotContain(USER);
                assertThat(http.call("GET", "/v1/contacts?number=" + enc(A_NUMBER), a, null).body().path("contacts")).isEmpty();
            });
            cases.put("POST /{}/{}/messages", () -> {
                Map<String, Object> hello = Map.of("messaging_product", "whatsapp", "to", USER.substring(1), "type", "text",
                        "text", Map.of("body", "as B"));
                Http.Answer send = http.call("POST", "/v23.0/" + B_NUMBER.substring(1) + "/messages", a, hello);
                Http.Answer sendNone = http.call("POST", "/v23.0/" + NOBODYS_NUMBER.substring(1) + "/messages", a, hello);
                assertThat(graphError(send)).as("%s", send.body()).isEqualTo(graphError(sendNone))
                        .isEqualTo(List.of(400, 100, "GraphMethodException"));
                // B's incoming message cannot be marked read through B's number, nor through A's own.
                Map<String, Object> mark = Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + bIn);
                Http.Answer markTheirs = http.call("POST", "/v23.0/" + B_NUMBER.substring(1) + "/messages", a, mark);
                assertThat(graphError(markTheirs)).isEqualTo(List.of(400, 100, "GraphMethodException"));
                Http.Answer markOwn = http.call("POST", "/v23.0/" + A_NUMBER.substring(1) + "/messages", a, mark);
                Http.Answer markNone = http.call("POST", "/v23.0/" + A_NUMBER.substring(1) + "/messages", a,
                        Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + unknownId));
                assertThat(graphError(markOwn)).as("%s", markOwn.body()).isEqualTo(graphError(markNone))
                        .isEqualTo(List.of(400, 100, "OAuthException"));
                assertThat(harness.network.markedRead(bInNetworkId)).as("B's message marked read").isFalse();
            });
            cases.put("POST /api/v2/push", () -> {
                Map<String, Object> push = new java.util.HashMap<>(Map.of("token", a, "application", "8",
                        "data", List.of(Map.of("number", USER.substring(1), "message", "as B"))));
                push.put("from", B_NUMBER);
                Http.Answer theirs = http.call("POST", "/api/v2/push", null, push);
                push.put("from", NOBODYS_NUMBER);
                Http.Answer none = http.call("POST", "/api/v2/push", null, push);
                assertThat(List.of(theirs.status(), theirs.code())).as("%s", theirs.body())
                        .isEqualTo(List.of(none.status(), none.code())).isEqualTo(List.of(400, "unknown_number"));
            });
            addUpstreamWebhookCases(cases, http, a, b, aMeta, bMeta);
            addGraphObjectCases(cases, http, media, new Tenants(a, b, projectB.path("id").asText()), bMedia, bMeta);
            // The node admin's routes: a project's token, even with every scope, is no admin token.
            cases.put("POST /v1/projects", () -> {
                Http.Answer make = http.call("POST", "/v1/projects", a, Map.of("name", "A's own"));
                assertThat(List.of(make.status(), make.code())).isEqualTo(List.of(401, "unauthorized"));
            });
            cases.put("GET /v1/projects", () -> {
                Http.Answer list = http.call("GET", "/v1/projects", a, null);
                assertThat(List.of(list.status(), list.code())).as("%s", list.body()).isEqualTo(List.of(401, "unauthorized"));
                assertThat(list.body().toString()).doesNotContain(projectB.path("id").asText());
            });
            cases.put("GET /metrics", () -> {
                Http.Answer metrics = http.call("GET", "/metrics", a, null);
                assertThat(List.of(metrics.status(), metrics.code())).isEqualTo(List.of(401, "unauthorized"));
            });

            Set<String> needCases = new TreeSet<>(Routes.registered(harness.node));
            needCases.removeAll(PUBLIC);
            Set<String> checked = new TreeSet<>(cases.keySet());
            checked.removeAll(Set.of("POST /api/v2/push", "POST /upstream/cloud/webhook", "GET /upstream/cloud/webhook"));
            assertThat(checked).as("a cross-tenant case for every route that is not public")
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

    /** B's media: not A's to read, delete, or upload for B's number. */
    private static void addMediaCases(Map<String, Case> cases, Http http, Uploads media, String a, String b, String bMedia) {
        String noMedia = "0000000000000";
        cases.put("POST /v1/media", () -> {
            Uploads.Answer theirs = media.upload(a, B_NUMBER, Uploads.file(100), "image/jpeg");
            Uploads.Answer none = media.upload(a, NOBODYS_NUMBER, Uploads.file(100), "image/jpeg");
            assertThat(List.of(theirs.status(), theirs.code(), theirs.field()))
                    .isEqualTo(List.of(none.status(), none.code(), none.field()))
                    .isEqualTo(List.of(400, "unknown_number", "number"));
        });
        cases.put("GET /v1/media/{}", () -> {
            Uploads.Answer theirs = media.get(a, bMedia);
            Uploads.Answer none = media.get(a, noMedia);
            assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(none.status(), none.code()))
                    .isEqualTo(List.of(404, "not_found"));
            // Without a token, only a URL the node signed opens it.
            Http.Answer forged = http.call("GET", "/v1/media/" + bMedia + "?expires=9999999999&signature=AAAA", null, null);
            assertThat(List.of(forged.status(), forged.code())).isEqualTo(List.of(403, "invalid_signature"));
            assertThat(media.get(b, bMedia).status()).as("B still has it").isEqualTo(200);
        });
        cases.put("DELETE /v1/media/{}", () -> {
            Uploads.Answer theirs = media.delete(a, bMedia);
            Uploads.Answer none = media.delete(a, noMedia);
            assertThat(List.of(theirs.status(), theirs.code())).isEqualTo(List.of(none.status(), none.code()))
                    .isEqualTo(List.of(404, "not_found"));
            assertThat(media.get(b, bMedia).bytes()).as("B's file is whole").isEqualTo(Uploads.file(2_000));
        });
    }

    /** B's group: every group route naming it answers A as for a group that does not exist, and nothing changes. */
    private static void addGroupCases(Map<String, Case> cases, Harness harness, Http http, String a, String b,
                                      JsonNode bGroup, List<String> users) {
        String id = bGroup.path("id").asText();
        Map<String, Object> members = Map.of("members", List.of(users.get(2)));
        Map<String, Object> admins = Map.of("admins", List.of(users.get(0)));
        Map<String, Object> patch = Map.of("subject", "A was here");
        Map<String, Object[]> calls = new LinkedHashMap<>();
        calls.put("GET /v1/groups/{}", new Object[] {"GET", "", null});
        calls.put("PATCH /v1/groups/{}", new Object[] {"PATCH", "", patch});
        calls.put("DELETE /v1/groups/{}", new Object[] {"DELETE", "", null});
        calls.put("POST /v1/groups/{}/members", new Object[] {"POST", "/members", members});
        calls.put("DELETE /v1/groups/{}/members", new Object[] {"DELETE", "/members", Map.of("members", List.of(users.get(1)))});
        calls.put("POST /v1/groups/{}/admins", new Object[] {"POST", "/admins", admins});
        calls.put("DELETE /v1/groups/{}/admins", new Object[] {"DELETE", "/admins", admins});
        calls.put("POST /v1/groups/{}/invite", new Object[] {"POST", "/invite", null});
        calls.put("DELETE /v1/groups/{}/invite", new Object[] {"DELETE", "/invite", null});
        calls.forEach((route, call) -> cases.put(route, () -> {
            String method = (String) call[0];
            Http.Answer theirs = http.call(method, "/v1/groups/" + id + call[1], a, call[2]);
            Http.Answer none = http.call(method, "/v1/groups/" + NO_GROUP + call[1], a, call[2]);
            assertThat(List.of(theirs.status(), theirs.code())).as("%s", theirs.body())
                    .isEqualTo(List.of(404, "not_found")).isEqualTo(List.of(none.status(), none.code()));
            assertThat(theirs.body().toString()).doesNotContain("B's club");
            assertThat(http.call("GET", "/v1/groups/" + id, b, null).body()).as("B's group unchanged").isEqualTo(bGroup);
            assertThat(harness.network.groupMembers(B_NUMBER, id)).containsExactlyElementsOf(users.subList(0, 2));
        }));
        cases.put("GET /v1/groups", () -> {
            assertThat(http.call("GET", "/v1/groups", a, null).body().path("groups")).isEmpty();
            assertThat(http.call("GET", "/v1/groups", b, null).body().path("groups")).hasSize(1);
        });
        cases.put("POST /v1/groups", () -> {
            Http.Answer onTheirs = http.call("POST", "/v1/groups", a, Map.of("from", B_NUMBER, "subject", "as B",
                    "members", List.of(users.get(2))));
            Http.Answer onNone = http.call("POST", "/v1/groups", a, Map.of("from", NOBODYS_NUMBER, "subject", "as nobody",
                    "members", List.of(users.get(2))));
            assertThat(List.of(onTheirs.status(), onTheirs.code())).isEqualTo(List.of(onNone.status(), onNone.code()))
                    .isEqualTo(List.of(400, "unknown_number"));
            assertThat(http.call("GET", "/v1/groups", b, null).body().path("groups")).hasSize(1);
        });
    }

    /**
     * Meta's webhooks take no token: a body is taken only when signed with the app secret of every number it names.
     * A body naming B's number signed with A's app secret, alone or beside A's own, is refused and stores nothing.
     */
    private static void addUpstreamWebhookCases(Map<String, Case> cases, Http http, String a, String b,
                                                CloudApiStandIn aMeta, CloudApiStandIn bMeta) {
        cases.put("POST /upstream/cloud/webhook", () -> {
            byte[] ours = aMeta.incoming("wamid.A1", "+15550003001", "Asha", "hello A");
            await().atMost(Duration.ofSeconds(10)).until(() -> aMeta.send(ours) == 200);
            byte[] theirs = bMeta.incoming("wamid.B1", "+15550003002", "Ravi", "to B, signed by A");
            assertThat(aMeta.send(theirs)).as("B's number, A's secret").isEqualTo(403);
            ObjectNode both = (ObjectNode) JSON.readTree(aMeta.incoming("wamid.A2", "+15550003001", "Asha", "again"));
            ((ArrayNode) both.path("entry")).addAll((ArrayNode) JSON.readTree(theirs).path("entry"));
            assertThat(aMeta.send(JSON.writeValueAsBytes(both))).as("A's and B's number, A's secret").isEqualTo(403);
            assertThat(http.call("GET", "/v1/contacts?number=" + enc(B_CLOUD), b, null).body().path("contacts"))
                    .as("nothing reached B's number").isEmpty();
            assertThat(http.call("GET", "/v1/contacts?number=" + enc(A_CLOUD), a, null).body().path("contacts")
                    .findValuesAsText("user")).as("only the body signed for A's own number").containsExactly("+15550003001");
        });
        cases.put("GET /upstream/cloud/webhook", () -> {
            // The handshake echoes a challenge for a known verify token and says nothing of whose it is.
            assertThat(aMeta.verify("a-verify-token", "42").body()).isEqualTo("42");
            assertThat(aMeta.verify("a-verify-token-guess", "42").body()).doesNotContain("B").doesNotContain(B_CLOUD);
        });
    }

    /** The caller A's token, and B's token and project id. */
    private record Tenants(String a, String b, String bProject) {}

    /**
     * The Cloud API's objects of B (its media, its numbers by their digits or Meta's id, its WABA, its profile): to A,
     * objects that do not exist, as answered for none at all, and nothing of B's reaches Meta or changes.
     */
    private static void addGraphObjectCases(Map<String, Case> cases, Http http, Uploads media, Tenants who, String bMedia,
                                            CloudApiStandIn bMeta) {
        String a = who.a();
        List<Object> noSuchObject = List.of(400, 100, "GraphMethodException");
        List<String> bNumbers = List.of(B_NUMBER.substring(1), B_CLOUD.substring(1), B_PHONE_ID);
        String none = NOBODYS_NUMBER.substring(1);
        cases.put("POST /{}/{}/media", () -> {
            for (String number : List.of(B_NUMBER.substring(1), B_PHONE_ID, none)) {
                Uploads.Answer upload = media.upload("/v23.0/" + number + "/media", a, Uploads.file(100), "image/jpeg",
                        "x.jpg", Uploads.fields("messaging_product", "whatsapp"));
                assertThat(List.of(upload.status(), upload.json().path("error").path("code").asInt(),
                        upload.json().path("error").path("type").asText())).as(number).isEqualTo(noSuchObject);
            }
        });
        cases.put("GET /{}/{}", () -> {
            for (String object : List.of(bMedia, B_NUMBER.substring(1), B_CLOUD.substring(1), B_PHONE_ID, none)) {
                Http.Answer answer = http.call("GET", "/v23.0/" + object, a, null);
                assertThat(graphError(answer)).as(object).isEqualTo(noSuchObject);
                assertThat(answer.body().toString()).doesNotContain("sha256").doesNotContain("verified_name");
            }
            assertThat(bMeta.objectCalls()).as("calls that reached B's Meta").isEmpty();
        });
        cases.put("DELETE /{}/{}", () -> {
            assertThat(graphError(http.call("DELETE", "/v23.0/" + bMedia, a, null))).isEqualTo(noSuchObject);
            assertThat(media.get(who.b(), bMedia).status()).as("B's media, still there").isEqualTo(200);
        });
        cases.put("GET /{}/{}/settings", () -> {
            for (String number : bNumbers) {
                assertThat(graphError(http.call("GET", "/v23.0/" + number + "/settings", a, null))).as(number)
                        .isEqualTo(noSuchObject);
            }
            assertThat(bMeta.objectCalls()).isEmpty();
        });
        cases.put("GET /{}/{}/phone_numbers", () -> {
            Http.Answer answer = http.call("GET", "/v23.0/" + who.bProject() + "/phone_numbers", a, null);
            assertThat(graphError(answer)).isEqualTo(noSuchObject);
            assertThat(answer.body().toString()).doesNotContain(B_NUMBER.substring(1)).doesNotContain(B_CLOUD.substring(1));
        });
        cases.put("GET /{}/{}/whatsapp_business_profile", () -> {
            for (String number : bNumbers) {
                assertThat(graphError(http.call("GET", "/v23.0/" + number + "/whatsapp_business_profile", a, null)))
                        .as(number).isEqualTo(noSuchObject);
            }
            assertThat(bMeta.objectCalls()).isEmpty();
        });
        cases.put("POST /{}/{}/whatsapp_business_profile", () -> {
            for (String number : bNumbers) {
                assertThat(graphError(http.call("POST", "/v23.0/" + number + "/whatsapp_business_profile", a,
                        Map.of("messaging_product", "whatsapp", "about", "A was here")))).as(number).isEqualTo(noSuchObject);
            }
            assertThat(bMeta.objectCalls()).isEmpty();
            assertThat(http.call("GET", "/v23.0/" + B_NUMBER.substring(1) + "/whatsapp_business_profile", who.b(), null)
                    .body().toString()).doesNotContain("A was here");
        });
        String bTemplates = "/v23.0/" + who.bProject() + "/message_templates";
        Map<String, Object> template = Map.of("name", "b_secret_offer", "language", "en", "category", "MARKETING",
                "components", List.of(Map.of("type", "BODY", "text", "B's offer")));
        cases.put("GET /{}/{}/message_templates", () -> {
            http.call("POST", bTemplates, who.b(), template);
            Http.Answer answer = http.call("GET", bTemplates, a, null);
            assertThat(graphError(answer)).isEqualTo(noSuchObject);
            assertThat(answer.body().toString()).doesNotContain("b_secret_offer");
        });
        cases.put("POST /{}/{}/message_templates", () -> {
            assertThat(graphError(http.call("POST", bTemplates, a, Map.of("name", "a_was_here", "language", "en",
                    "category", "MARKETING", "components", List.of(Map.of("type", "BODY", "text", "A")))))).isEqualTo(noSuchObject);
            assertThat(http.call("GET", bTemplates, who.b(), null).body().toString()).doesNotContain("a_was_here");
        });
        cases.put("DELETE /{}/{}/message_templates", () -> {
            http.call("POST", bTemplates, who.b(), template);
            assertThat(graphError(http.call("DELETE", bTemplates + "?name=b_secret_offer", a, null))).isEqualTo(noSuchObject);
            assertThat(http.call("GET", bTemplates, who.b(), null).body().toString()).contains("b_secret_offer");
        });
    }

    private static Map<String, Object> upstream(CloudApiStandIn meta, String phoneNumberId, String project) {
        return Map.of("kind", "cloud", "base_url", meta.baseUrl(), "api_version", CloudApiStandIn.VERSION,
                "phone_number_id", phoneNumberId, "access_token", project + "-access-token", "app_secret",
                project + "-app-secret", "verify_token", project + "-verify-token");
    }

    /** B's numbers as B sees them: the TPS of each, and B's Cloud number still on B's own Meta id and URL. */
    private static void assertBsNumbersUnchanged(Http http, String b, CloudApiStandIn bMeta) throws Exception {
        JsonNode numbers = http.call("GET", "/v1/numbers", b, null).body().path("numbers");
        assertThat(numbers.findValues("tps")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(100, 20);
        assertThat(numbers.findValuesAsText("phone_number_id")).containsExactly(B_PHONE_ID);
        assertThat(numbers.findValuesAsText("base_url")).containsExactly(bMeta.baseUrl());
    }

    /** A Graph API error as its status, code and type. */
    private static List<Object> graphError(Http.Answer answer) {
        JsonNode error = answer.body().path("error");
        return List.of(answer.status(), error.path("code").asInt(), error.path("type").asText());
    }

    private static String enc(String number) {
        return URLEncoder.encode(number, StandardCharsets.UTF_8);
    }

    /** Group changes go over the number's connection: waits until every shard of it is connected. */
    private static void awaitConnected(Harness harness, String number) {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.node.engine().line(number)
                .map(line -> !line.shards().running().isEmpty()
                        && line.shards().running().stream().allMatch(ShardWorker::connected))
                .orElse(false));
    }

    /** The live stream's first event (the hello) as A's token sees it. */
    /** The body of the token's message export, as text: 200 expected. */
    private static String exported(Harness harness, String token, String query) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + harness.node.httpPort() + "/v1/messages/export" + query)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

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
