package io.switchboard.app.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready} against a node whose shard worker stops, and who may see the dashboard: the login with a token
 * (never one in the address), the session cookie that lasts only while its token does, the live stream over plain
 * HTTP, and a project's view of its own numbers.
 */
class ReadinessAndDashboardAccessTest {
    private static final String NUMBER = "+919800000001";
    private static final String OTHER = "+919800000002";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir Path tempDir;

    @Test
    void readyUntilAShardWorkerStops() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            harness.number(harness.project("Shop"), NUMBER, 20);
            HttpResponse<String> ready = get(harness, "/ready", null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json.readTree(ready.body()).path("status").asText()).isEqualTo("ready");
            assertThat(get(harness, "/health", null).statusCode()).isEqualTo(200);

            harness.node.engine().line(NUMBER).orElseThrow().shards().get(0).close();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> notReady = get(harness, "/ready", null);
                assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
                JsonNode body = json.readTree(notReady.body());
                assertThat(body.path("status").asText()).isEqualTo("not_ready");
                assertThat(body.path("not_ready").toString()).contains("shard workers: 1 of 1 not running")
                        .doesNotContain(NUMBER);
            });
            assertThat(get(harness, "/health", null).statusCode()).as("still alive").isEqualTo(200);
        }
    }

    @Test
    void dashboardLogsInWithATokenOnceAndStreamsOnlyTheViewersNumbers() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            String shop = harness.project("Shop");
            harness.number(shop, NUMBER, 20);
            harness.number(harness.project("Other"), OTHER, 20);
            // A sample a second: wait for the first one that has both numbers.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(adminData(harness).path("sample")
                    .path("numbers").findValuesAsText("number")).containsExactly(NUMBER, OTHER));

            HttpResponse<String> anonymous = get(harness, "/dashboard", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("<form method=\"post\" action=\"/dashboard/login\"");
            assertThat(get(harness, "/dashboard/stream", null).statusCode()).isEqualTo(401);
            assertThat(get(harness, "/dashboard/data", null).statusCode()).isEqualTo(401);
            assertThat(login(harness, "sbp_not-a-token").statusCode()).isEqualTo(401);
            String sendOnly = harness.api.expect(201, "/v1/tokens", shop, java.util.Map.of("name", "sender",
                    "scopes", List.of("send"))).get("token").asText();
            assertThat(login(harness, sendOnly).statusCode()).as("a token without the read scope").isEqualTo(401);
            HttpResponse<String> inTheAddress = get(harness, "/dashboard?token=" + shop, null);
            assertThat(inTheAddress.statusCode()).as("a token in the address is not taken").isEqualTo(400);
            assertThat(inTheAddress.headers().firstValue("Set-Cookie")).isEmpty();

            HttpResponse<String> login = login(harness, shop);
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValue("/dashboard");
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("sb_dashboard=").contains("HttpOnly", "SameSite=Strict", "Path=/dashboard")
                    .doesNotContain(shop);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            HttpResponse<String> page = get(harness, "/dashboard", cookie);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'self'"));
            assertThat(get(harness, "/dashboard/assets/chart.umd.js", null).body()).contains("Chart");

            List<JsonNode> events = stream(harness, cookie, 3);
            assertThat(events.getFirst().path("viewer").path("scope").asText()).isEqualTo("project");
            assertThat(events.get(1).path("seq").asLong()).isLessThan(events.get(2).path("seq").asLong());
            for (JsonNode event : events) {
                JsonNode sample = event.has("sample") ? event.get("sample") : event;
                assertThat(sample.path("numbers").findValuesAsText("number")).containsExactly(NUMBER);
                assertThat(sample.path("shards").findValuesAsText("number")).as("%s", sample).containsExactly(NUMBER);
            }

            assertThat(adminData(harness).path("history").size()).as("the admin's history has both numbers").isEqualTo(2);

            // A session made with a token that is revoked ends with it.
            JsonNode viewer = harness.api.expect(201, "/v1/tokens", shop, java.util.Map.of("name", "viewer",
                    "scopes", List.of("read")));
            String viewerSetCookie = login(harness, viewer.get("token").asText()).headers().firstValue("Set-Cookie").orElseThrow();
            String viewerCookie = viewerSetCookie.substring(0, viewerSetCookie.indexOf(';'));
            assertThat(get(harness, "/dashboard", viewerCookie).statusCode()).isEqualTo(200);
            assertThat(harness.api.delete("/v1/tokens/" + viewer.get("id").asText(), shop).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> get(harness, "/dashboard", viewerCookie).statusCode() == 401);

            HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(base(harness) + "/dashboard/logout"))
                    .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(logout.statusCode()).isEqualTo(303);
            assertThat(get(harness, "/dashboard", cookie).statusCode()).as("the session is gone").isEqualTo(401);
        }
    }

    /**
     * Behind a reverse proxy that ends TLS, the session cookie is marked Secure when the node is told to believe the
     * proxy's {@code X-Forwarded-Proto}; otherwise the header is anyone's to send and changes nothing.
     */
    @Test
    void theSessionCookieIsSecureBehindAnHttpsProxyOnlyWhenTheProxyIsTrusted() throws Exception {
        for (boolean behindProxy : List.of(true, false)) {
            try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("proxy-" + behindProxy),
                    SimConfig.defaults(), Map.of("http.behind-proxy", behindProxy))) {
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base(harness) + "/dashboard/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-Proto", "https")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + harness.adminToken)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(login.statusCode()).isEqualTo(303);
                String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
                if (behindProxy) assertThat(cookie).as("behind a trusted proxy").contains("; Secure");
                else assertThat(cookie).as("a header anyone may send").doesNotContain("Secure");
            }
        }
    }

    /** Logs in through the form, as the page does (and as a link's {@code #token=} has it do). */
    private HttpResponse<String> login(Harness harness, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(harness) + "/dashboard/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode adminData(Harness harness) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(base(harness) + "/dashboard/data"))
                .header("Authorization", "Bearer " + harness.adminToken).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The first {@code count} events' data from the live stream: the hello, then samples. */
    private List<JsonNode> stream(Harness harness, String cookie, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(harness) + "/dashboard/stream"))
                .header("Cookie", cookie).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            String line;
            while (events.size() < count && (line = lines.readLine()) != null) {
                if (line.startsWith("data:")) events.add(json.readTree(line.substring(5).trim()));
            }
        }
        return events;
    }

    private HttpResponse<String> get(Harness harness, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(harness) + path));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(Harness harness) {
        return "http://127.0.0.1:" + harness.node.httpPort();
    }
}
