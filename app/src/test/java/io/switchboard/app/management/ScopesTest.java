package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every project route with a token of each scope: the route's own scope gets through (2xx), the others get 403
 * {@code insufficient_scope} naming the scope needed, and write nothing.
 */
class ScopesTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";
    private static final AtomicInteger NEXT = new AtomicInteger(100);

    @TempDir static Path tempDir;
    static Harness harness;
    static Http http;
    static String all;
    static Map<String, String> byScope;
    static String messageId;

    /** A route: its method, its path, the scope it needs, and how to aim one call at it (made fresh each time). */
    record Route(String method, String path, String scope, Target target) {
        @Override
        public String toString() {
            return method + " " + path;
        }

        Http.Answer call(Call call, String token) throws Exception {
            return http.call(method, call.path(), token, call.body());
        }
    }

    /** One call's path and body (null: none). */
    record Call(String path, Object body) {}

    interface Target {
        Call next() throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults().withReplyProbability(0.0),
                Map.of("api.rate-per-token", 100_000));
        http = new Http(harness.node.httpPort());
        all = harness.project("Shop");
        harness.number(all, NUMBER, 100);
        byScope = Map.of("send", token("send"), "read", token("read"), "admin", token("admin"));
        messageId = harness.api.expect(202, "/v1/messages", all, text(NUMBER, USER, "hi")).path("messages").get(0)
                .path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static List<Route> routes() {
        return List.of(
                route("GET", "/v1/project", "read", null),
                route("PATCH", "/v1/project", "admin", Map.of("name", "Shop")),
                route("GET", "/v1/project/webhook-secret", "admin", null),
                route("POST", "/v1/project/webhook-secret/rotate", "admin", Map.of()),
                route("GET", "/v1/webhooks", "read", null),
                route("GET", "/v1/webhooks/failed", "read", null),
                route("POST", "/v1/webhooks/replay", "admin", Map.of()),
                new Route("POST", "/v1/numbers", "admin", () -> new Call("/v1/numbers",
                        Map.of("number", "+9198000" + NEXT.incrementAndGet() + "00", "tps", 10))),
                route("PATCH", "/v1/numbers/" + NUMBER, "admin", Map.of("tps", 77)),
                route("GET", "/v1/numbers", "read", null),
                new Route("DELETE", "/v1/numbers/{number}", "admin", () -> {
                    String number = "+9198100" + NEXT.incrementAndGet() + "00";
                    http.call("POST", "/v1/numbers", all, Map.of("number", number, "tps", 10));
                    return new Call("/v1/numbers/" + number, null);
                }),
                route("GET", "/v1/numbers/" + NUMBER + "/usage", "read", null),
                route("POST", "/v1/messages", "send", text(NUMBER, USER, "hello")),
                new Route("GET", "/v1/messages/{id}", "read", () -> new Call("/v1/messages/" + messageId, null)),
                route("GET", "/v1/messages", "read", null),
                route("GET", "/v1/messages/export", "read", null),
                route("POST", "/v1/tokens", "admin", Map.of("name", "made", "scopes", List.of("read"))),
                route("GET", "/v1/tokens", "admin", null),
                route("GET", "/v1/cluster", "read", null),
                new Route("DELETE", "/v1/tokens/{id}", "admin", () -> new Call("/v1/tokens/" + http.call("POST",
                        "/v1/tokens", all, Map.of("name", "doomed", "scopes", List.of("read"))).body().path("id").asText(),
                        null)));
    }

    static Stream<Arguments> routesAndScopes() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : routes()) for (String scope : List.of("send", "read", "admin")) cases.add(Arguments.of(route, scope));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with a {1} token")
    @MethodSource("routesAndScopes")
    void aRouteTakesATokenWithItsScopeAndRefusesTheOthers(Route route, String scope) throws Exception {
        Call call = route.target().next();
        State before = State.now();

        Http.Answer answer = route.call(call, byScope.get(scope));

        if (scope.equals(route.scope())) {
            assertThat(answer.status()).as(answer.body().toString()).isBetween(200, 299);
        } else {
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(403);
            assertThat(answer.code()).isEqualTo("insufficient_scope");
            assertThat(answer.body().path("error").path("message").asText()).contains(route.scope());
            assertThat(answer.header("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).contains("scope=\"" + route.scope() + "\""));
            assertThat(State.now()).as("a refused call writes nothing").isEqualTo(before);
        }
    }

    @Test
    void aTokenWithEveryScopeTakesEveryRoute() throws Exception {
        for (Route route : routes()) {
            Http.Answer answer = route.call(route.target().next(), all);
            assertThat(answer.status()).as(route + ": " + answer.body()).isBetween(200, 299);
        }
    }

    @Test
    void theNodeAdminTokenIsNoProjectToken() throws Exception {
        for (Route route : routes()) {
            if (route.path().equals("/v1/cluster")) continue; // the admin's too: it sees every number there
            assertThat(route.call(route.target().next(), harness.adminToken).status()).as(route.toString()).isEqualTo(401);
        }
    }

    /** The node admin's routes take no project token, whatever its scopes: 401, and no project is made. */
    @Test
    void theNodeAdminsRoutesRefuseEveryProjectToken() throws Exception {
        int projects = http.call("GET", "/v1/projects", harness.adminToken, null).body().path("projects").size();
        for (String token : List.of(all, byScope.get("send"), byScope.get("read"), byScope.get("admin"))) {
            assertThat(http.call("GET", "/v1/projects", token, null).code()).isEqualTo("unauthorized");
            assertThat(http.call("POST", "/v1/projects", token, Map.of("name", "not theirs")).code()).isEqualTo("unauthorized");
        }
        assertThat(http.call("GET", "/v1/projects", harness.adminToken, null).body().path("projects").size()).isEqualTo(projects);
    }

    /** What a refused call must not change: messages, numbers, tokens, the project's settings. */
    record State(long messages, String numbers, String tokens, String project) {
        static State now() throws Exception {
            return new State(harness.node.messageCount(),
                    http.call("GET", "/v1/numbers?limit=1000", all, null).body().path("numbers").findValues("number").toString()
                            + http.call("GET", "/v1/numbers?limit=1000", all, null).body().path("numbers").findValues("tps"),
                    http.call("GET", "/v1/tokens?limit=1000", all, null).body().path("tokens").findValues("id").toString(),
                    http.call("GET", "/v1/project", all, null).body().toString()
                            + http.call("GET", "/v1/project/webhook-secret", all, null).body());
        }
    }

    private static Route route(String method, String path, String scope, Object body) {
        return new Route(method, path, scope, () -> new Call(path, body));
    }

    private static String token(String scope) throws Exception {
        return http.call("POST", "/v1/tokens", all, Map.of("name", scope + " only", "scopes", List.of(scope))).body()
                .path("token").asText();
    }
}
