package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.CloudUpstream;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Graph API calls about a number connected to Meta's Cloud API (its profile, the number itself, its settings,
 * its business account's templates), passed on to Meta: at the upstream's base URL and API version, under Meta's
 * {@code phone_number_id} (or the business account's id), with the
 * number's access token, the query string as the bot wrote it; Meta's answer goes back to the bot as Meta gave it.
 * A Meta that does not answer is a 503 in the Graph shape (code 2), which client libraries retry.
 */
final class MetaRelay {
    private static final Logger LOG = LoggerFactory.getLogger(MetaRelay.class);
    private final Api.Parts parts;

    MetaRelay(Api.Parts parts) {
        this.parts = parts;
    }

    /** The number's upstream, when it is connected to Meta's Cloud API. */
    Optional<CloudUpstream> upstream(String number) {
        return parts.upstream().upstreams().find(number);
    }

    /** Passes the request on ({@code edge}: "" for the number itself, or such as {@code /settings}) and answers Meta's. */
    void relay(Context ctx, CloudUpstream upstream, String edge) {
        relay(ctx, upstream, upstream.phoneNumberId(), edge);
    }

    /** Passes the request on to Meta's object {@code objectId} (such as the number's business account). */
    void relay(Context ctx, CloudUpstream upstream, String objectId, String edge) {
        byte[] body = ctx.bodyAsBytes();
        OutboundHttp.Received answer = call(ctx.method().name(), upstream, objectId, edge + query(ctx),
                body.length == 0 ? null : body);
        ctx.status(answer.status()).contentType("application/json")
                .header("Content-Length", String.valueOf(answer.body().length)).result(answer.body());
    }

    /** A GET of the number's own object at Meta, or empty when Meta did not answer it with one. */
    Optional<JsonNode> number(CloudUpstream upstream, String query) {
        OutboundHttp.Received answer = call("GET", upstream, upstream.phoneNumberId(), query, null);
        try {
            JsonNode object = parts.json().readTree(answer.body());
            return answer.status() == 200 && object != null && object.isObject() ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private OutboundHttp.Received call(String method, CloudUpstream upstream, String objectId, String pathAndQuery,
                                       byte[] body) {
        String base = upstream.baseUrl().endsWith("/") ? upstream.baseUrl().substring(0, upstream.baseUrl().length() - 1)
                : upstream.baseUrl();
        URI uri = URI.create(base + "/" + upstream.apiVersion() + "/" + objectId + pathAndQuery);
        String token = parts.vault().openSecret(CloudUpstream.owner(upstream.number(), "access_token"),
                upstream.sealedAccessToken());
        try {
            return parts.upstream().links().call(method, uri, token, body);
        } catch (IOException | TimeoutException | OutboundUrls.Refused e) {
            LOG.info("number {}: {} to Meta's Cloud API not answered: {}", upstream.number(), method, e.toString());
            throw ApiError.unavailable("upstream_unavailable", "Meta's Cloud API did not answer for "
                    + upstream.number() + ": " + e.getMessage(), 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("upstream_unavailable", "the node is stopping", 5);
        }
    }

    private static String query(Context ctx) {
        String query = ctx.queryString();
        return query == null || query.isEmpty() ? "" : "?" + query;
    }
}
