package io.switchboard.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.switchboard.store.ApiTokens.Credential;
import io.switchboard.store.Scope;

/**
 * The checks every project call passes before its handler runs: a valid token (401), its token's request rate
 * (429), and the scope the route needs (403), in that order. Which scope a route needs is decided here, in one
 * place, by its path: a route added later gets the safe default, {@code read} to GET and {@code admin} for anything
 * else, until it is listed.
 */
final class Access {
    private final Tenants tenants;
    private final RateLimits rates;

    Access(Tenants tenants, RateLimits rates) {
        this.tenants = tenants;
        this.rates = rates;
    }

    /** Before a matched route; the handler then finds its project through {@link Tenants} again, from the cache. */
    void check(Context ctx) {
        String route = ctx.endpointHandlerPath();
        // A path the Graph routes' variables match but not under a Graph version (/v1/nothing) is no route: 404 first.
        Scope needed = route.startsWith("/{version}/") && !CloudRoutes.isGraph(ctx.path()) ? null
                : required(ctx.method(), route);
        // A request another node passed on was admitted there; its signature was checked before any route.
        if (needed == null || signedMediaUrl(ctx) || ShardOwners.passedOn(ctx)) return;
        String authorization = ctx.header("Authorization");
        // The node admin's token passes to the route, which decides (a project route answers it 401, as before).
        if (tenants.isAdmin(authorization)) return;
        admit(authorization, needed);
    }

    /** The caller of a route that takes its token elsewhere (in the body): the same checks, in the same order. */
    Credential admit(String authorization, Scope needed) {
        Credential caller = tenants.caller(authorization);
        rates.take(caller.token());
        if (!caller.token().allows(needed)) throw ApiError.insufficientScope(needed.label());
        return caller;
    }

    /** A media download by a signed URL (an incoming media's, handed to the Webhook): its signature is its key. */
    static boolean signedMediaUrl(Context ctx) {
        return ctx.method() == HandlerType.GET && ctx.endpointHandlerPath().equals("/v1/media/{id}")
                && ctx.queryParam("signature") != null;
    }

    /**
     * The scope a project token needs for the route, or null for a route that is not a project's ({@code /health},
     * {@code POST /v1/projects} and {@code DELETE /v1/projects/{id}}, which take the node admin's token). {@code send}: sending and cancelling messages,
     * uploading and deleting media; {@code read}: every other GET; {@code admin}: everything else, and the GETs that
     * show credentials (tokens, the webhook secret).
     */
    static Scope required(HandlerType method, String route) {
        if (route.startsWith("/{version}/")) return graphScope(method, route);
        if (!route.startsWith("/v1/") || route.equals("/v1/projects") || route.equals("/v1/projects/{id}")) return null;
        boolean read = method == HandlerType.GET || method == HandlerType.HEAD;
        if (route.startsWith("/v1/tokens") || route.startsWith("/v1/project/webhook-secret")) return Scope.ADMIN;
        if (route.equals("/v1/messages") || route.startsWith("/v1/messages/")) return read ? Scope.READ : Scope.SEND;
        if (route.equals("/v1/media") || route.startsWith("/v1/media/")) return read ? Scope.READ : Scope.SEND;
        return read ? Scope.READ : Scope.ADMIN;
    }

    /**
     * The Cloud API's routes: sending, marking read and uploading or deleting media need {@code send}, changing the
     * business profile or the message templates {@code admin} (Meta's business management), reading {@code read}.
     */
    private static Scope graphScope(HandlerType method, String route) {
        if (method == HandlerType.GET || method == HandlerType.HEAD) return Scope.READ;
        return route.equals(BusinessProfileRoutes.PATH) || route.equals(TemplateRoutes.PATH) ? Scope.ADMIN : Scope.SEND;
    }
}
