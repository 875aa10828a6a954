package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.store.ApiToken;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.Ids;
import io.switchboard.store.Project;
import io.switchboard.store.Scope;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.ids.NodeIds;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.switchboard.api.Requests.requiredText;

/** A project's tokens: made with a name and scopes (the token shown once), listed, and revoked. */
final class TokenRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRoutes.class);
    private static final int MAX_NAME = 100;

    private final ApiTokens tokens;
    private final NodeIds ids;
    private final Tenants tenants;
    private final RateLimits rates;
    private final Requests requests;
    private final Clock clock;

    TokenRoutes(ApiTokens tokens, NodeIds ids, Tenants tenants, RateLimits rates, Requests requests, Clock clock) {
        this.tokens = tokens;
        this.ids = ids;
        this.tenants = tenants;
        this.rates = rates;
        this.requests = requests;
        this.clock = clock;
    }

    void addTo(Javalin server) {
        server.post("/v1/tokens", this::create);
        server.get("/v1/tokens", this::list);
        server.delete("/v1/tokens/{id}", this::revoke);
    }

    private void create(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.body(ctx);
        String name = requiredText(body, "name", MAX_NAME);
        ApiToken made = new ApiToken(Ids.format(ids.next()), project.id(), name, scopes(body), clock.millis(), null);
        String token = Tokens.newToken("sb_");
        if (!tokens.create(made, Tokens.hash(token))) {
            throw new ApiError(409, "too_many_tokens", "a project holds at most " + ApiTokens.MAX_PER_PROJECT
                    + " tokens; revoke one first", null);
        }
        LOG.info("project {}: token {} ({}) made with scopes {}", project.id(), made.id(), name, made.scopes());
        requests.send(ctx, 201, tokenJson(made).put("token", token));
    }

    /** The project's tokens, oldest first, a page at a time; never the tokens themselves. */
    private void list(Context ctx) {
        Project project = tenants.project(ctx);
        Page page = Page.of(ctx);
        requests.send(ctx, 200, page.answer("tokens", tokens.page(project.id(), page.after(), page.fetch()),
                TokenRoutes::tokenJson, ApiToken::id));
    }

    private void revoke(Context ctx) {
        Project project = tenants.project(ctx);
        String id = ctx.pathParam("id");
        switch (tokens.revoke(project.id(), id)) {
            case REVOKED -> {
                tenants.revoked(id);
                rates.forget(id);
                LOG.info("project {}: token {} revoked", project.id(), id);
                ctx.status(204);
            }
            case NOT_FOUND -> throw ApiError.notFound("token " + id);
            case LAST_ADMIN -> throw new ApiError(409, "last_admin_token",
                    "this is the project's last token with the admin scope; make another one first", null);
        }
    }

    private static Set<Scope> scopes(JsonNode body) {
        JsonNode list = body.get("scopes");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > Scope.values().length) {
            throw ApiError.badRequest("invalid_scopes", "scopes must list one or more of send, read, admin", "scopes");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < list.size(); i++) {
            String field = "scopes[" + i + "]";
            Scope scope = Scope.parse(list.get(i).isTextual() ? list.get(i).asText() : "").orElseThrow(() ->
                    ApiError.badRequest("invalid_scope", field + " must be send, read or admin", field));
            if (!scopes.add(scope)) throw ApiError.badRequest("invalid_scope", field + " repeats " + scope.label(), field);
        }
        return scopes;
    }

    private static ObjectNode tokenJson(ApiToken token) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", token.id());
        node.put("name", token.name());
        var scopes = node.putArray("scopes");
        token.scopes().forEach(scope -> scopes.add(scope.label()));
        node.put("created", Instant.ofEpochMilli(token.createdAt()).toString());
        if (token.lastUsedAt() == null) node.putNull("last_used");
        else node.put("last_used", Instant.ofEpochMilli(token.lastUsedAt()).toString());
        return node;
    }
}
