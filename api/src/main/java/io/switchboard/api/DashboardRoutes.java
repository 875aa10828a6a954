package io.switchboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.switchboard.api.dashboard.DashboardSessions;
import io.switchboard.api.dashboard.Viewer;
import io.switchboard.engine.budget.Kind;
import io.switchboard.metrics.live.LiveHistory;
import io.switchboard.metrics.live.Sample;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.Project;
import io.switchboard.store.Scope;
import io.switchboard.store.crypto.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: a page, its script and charts (Chart.js, from its WebJar on the classpath: no CDN), and a
 * server-sent event stream of a {@link Sample} a second. Who may look: the admin (everything) or a project (its
 * own numbers), by a session cookie made at login (the form, which a link's {@code #token=} fills in), or a bearer
 * token. A session lasts while the token it was made with is valid.
 *
 * <p>The token is never sent in an address (a fragment stays in the browser, and a {@code ?token=} is refused), never
 * goes in the cookie (a random session id does, HttpOnly and SameSite=Strict, Secure over HTTPS), and is never logged.
 */
final class DashboardRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    private static final String COOKIE = "sb_dashboard";
    private static final String VIEWER = "dashboard.viewer";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final String CHART_JS = WebPages.webJar("org.webjars.npm", "chart.js", "dist/chart.umd.js");
    private static final Map<String, String> ASSETS = Map.of(
            "dashboard.js", "/io/switchboard/api/dashboard/dashboard.js",
            "login.js", "/io/switchboard/api/dashboard/login.js",
            "dashboard.css", "/io/switchboard/api/dashboard/dashboard.css",
            "chart.umd.js", CHART_JS);

    private final Api.Observability observability;
    private final LiveHistory history;
    private final DashboardSessions sessions;
    private final Tenants tenants;
    private final Requests requests;

    DashboardRoutes(Api.Observability observability, Tenants tenants, Requests requests) {
        this.observability = observability;
        this.history = observability.history();
        this.sessions = observability.sessions();
        this.tenants = tenants;
        this.requests = requests;
    }

    void addTo(Javalin server) {
        server.get("/dashboard", this::page);
        server.post("/dashboard/login", this::login);
        server.post("/dashboard/logout", this::logout);
        server.get("/dashboard/assets/{name}", this::asset);
        server.get("/dashboard/data", ctx -> requests.send(ctx, 200, hello(viewer(ctx))));
        server.before("/dashboard/stream", ctx -> ctx.attribute(VIEWER, viewer(ctx)));
        server.sse("/dashboard/stream", this::stream);
    }

    /** The page for a logged-in viewer; else the login form. */
    private void page(Context ctx) {
        WebPages.securityHeaders(ctx);
        if (ctx.queryParam("token") != null) { // it would stay in proxies' and servers' logs: never taken from there
            loginForm(ctx, 400, "A token in the address is not taken (it would end up in logs): use /dashboard#token=... "
                    + "or this form.");
            return;
        }
        if (current(ctx).isEmpty()) {
            loginForm(ctx, 401, "");
            return;
        }
        ctx.status(200).contentType("text/html; charset=utf-8").result(WebPages.resource("/io/switchboard/api/dashboard/index.html"));
    }

    private void login(Context ctx) {
        WebPages.securityHeaders(ctx);
        String token = ctx.formParam("token");
        loginWith(ctx, token == null ? "" : token.trim());
    }

    private void loginWith(Context ctx, String token) {
        Optional<Viewer> viewer = viewerOf("Bearer " + token);
        if (viewer.isEmpty()) {
            loginForm(ctx, 401, "That token is not valid on this node, or lacks the read scope.");
            return;
        }
        String session = sessions.open(viewer.get(), Tokens.hash(token));
        ctx.header("Set-Cookie", COOKIE + "=" + session + "; Path=/dashboard; Max-Age=" + sessions.lifetime().toSeconds()
                + "; HttpOnly; SameSite=Strict" + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
        ctx.redirect("/dashboard", HttpStatus.SEE_OTHER); // the token leaves the address bar and the history
    }

    private void logout(Context ctx) {
        sessions.close(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    }

    private void loginForm(Context ctx, int status, String message) {
        String page = new String(WebPages.resource("/io/switchboard/api/dashboard/login.html"), StandardCharsets.UTF_8)
                .replace("<!--message-->", message); // a fixed sentence of ours, never the caller's input
        ctx.status(status).contentType("text/html; charset=utf-8").result(page);
    }

    private void asset(Context ctx) {
        String path = ASSETS.get(ctx.pathParam("name"));
        if (path == null) throw ApiError.notFound("asset " + ctx.pathParam("name"));
        WebPages.asset(ctx, path, path.equals(CHART_JS));
    }

    /**
     * The live stream: a {@code hello} event (the viewer, the recent history and the latest sample), then a
     * {@code sample} event every second, each on the stream's own virtual thread so a slow browser delays nobody.
     */
    private void stream(SseClient client) {
        Viewer viewer = client.ctx().attribute(VIEWER);
        String session = client.ctx().cookie(COOKIE);
        client.keepAlive();
        Thread.ofVirtual().name("dashboard-stream").start(() -> {
            try {
                ObjectNode hello = hello(viewer);
                long seq = hello.path("sample").path("seq").asLong();
                client.sendEvent("hello", requests.json().writeValueAsString(hello));
                while (!client.terminated()
                        && (session == null || sessions.viewer(session, tenants::stillValid).isPresent())) {
                    Optional<Sample> next = history.next(seq, KEEP_ALIVE, viewer.sees());
                    if (next.isPresent()) {
                        seq = next.get().seq();
                        client.sendEvent("sample", requests.json().writeValueAsString(next.get()));
                    } else {
                        client.sendComment("keep-alive");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.debug("dashboard stream ended: {}", e.toString());
            } finally {
                client.close();
            }
        });
    }

    /** What a page needs to start: who looks, the kinds and priorities in order, the history and the latest sample. */
    private ObjectNode hello(Viewer viewer) {
        ObjectNode hello = requests.json().createObjectNode();
        hello.putObject("viewer").put("scope", viewer.scope()).put("name", viewer.name());
        var kinds = hello.putArray("kinds");
        for (Kind kind : Kind.values()) kinds.add(kind.label());
        hello.put("metrics_open", observability.metricsOpen());
        hello.set("history", requests.json().valueToTree(history.history(viewer.sees())));
        hello.set("sample", requests.json().valueToTree(history.latest(viewer.sees())));
        return hello;
    }

    /** The viewer by session cookie or bearer token; 401 otherwise. */
    private Viewer viewer(Context ctx) {
        Optional<Viewer> viewer = current(ctx);
        if (viewer.isPresent()) return viewer.get();
        return viewerOf(ctx.header("Authorization")).orElseThrow(ApiError::unauthorized);
    }

    private Optional<Viewer> current(Context ctx) {
        Optional<Viewer> bySession = sessions.viewer(ctx.cookie(COOKIE), tenants::stillValid);
        return bySession.isPresent() ? bySession : viewerOf(ctx.header("Authorization"));
    }

    /** The admin, or a project whose token has the {@code read} scope (the dashboard shows what GETs show). */
    private Optional<Viewer> viewerOf(String authorization) {
        if (authorization == null) return Optional.empty();
        if (tenants.isAdmin(authorization)) return Optional.of(Viewer.admin());
        try {
            ApiTokens.Credential caller = tenants.caller(authorization);
            if (!caller.token().allows(Scope.READ)) return Optional.empty();
            Project project = caller.project();
            return Optional.of(Viewer.project(project.id(), project.name()));
        } catch (ApiError notProject) {
            return Optional.empty();
        }
    }
}
