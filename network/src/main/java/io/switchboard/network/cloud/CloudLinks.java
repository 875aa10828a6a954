package io.switchboard.network.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.network.Shards;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The node's open {@link CloudLink}s, by Meta's phone number id and shard, so that the webhook route finds the link
 * of a user's shard; and what they share: one HTTP client and the settings.
 */
public final class CloudLinks implements AutoCloseable {
    /**
     * Connections open at once to Meta's host: each link already bounds its own calls ({@link Settings#concurrency}),
     * and many links share the host, so this is only a ceiling.
     */
    private static final int CONNECTIONS = 1_024;

    /**
     * {@code timeout}: the whole time of one Graph API call, connecting and reading the answer included (then it counts
     * as failed and is sent again);
     * {@code concurrency}: the most calls under way at once per link (the ceiling of its {@link AdaptiveLimit}); {@code retryFirst}, {@code retryMax}: the backoff of a
     * send that failed (5xx, timeout), doubling from the first to the longest.
     */
    public record Settings(Duration timeout, int concurrency, Duration retryFirst, Duration retryMax) {}

    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final OutboundHttp http;
    private final Map<String, Map<Integer, CloudLink>> byPhoneNumberId = new ConcurrentHashMap<>();
    /** Uploads of our files to Meta under way, by number and media id: a file two users get at once goes up once. */
    private final Map<String, CompletableFuture<String>> uploading = new ConcurrentHashMap<>();

    /** {@code urls}: which addresses the upstreams' {@code base_url}s may reach as the client connects. */
    public CloudLinks(Settings settings, OutboundUrls urls) {
        this.settings = settings;
        this.http = new OutboundHttp(urls, "Switchboard-Upstream/1", settings.timeout(), CONNECTIONS);
    }

    /**
     * Opens the shard's link and tells the listener it is connected (Meta needs no login). {@code wamids} are the
     * number's messages by Meta's ids in the store; {@code files} the node's media.
     */
    public CloudLink open(CloudTarget target, ShardLinkListener listener, Wamids wamids, NodeMedia files) {
        CloudLink link = new CloudLink(target, listener, this, wamids, files);
        byPhoneNumberId.computeIfAbsent(target.phoneNumberId(), id -> new ConcurrentHashMap<>()).put(target.shard(), link);
        listener.onConnected();
        return link;
    }

    /** The link of the shard that carries {@code user} (E.164) for the phone number id, if it is open here. */
    public Optional<CloudLink> find(String phoneNumberId, String user) {
        Map<Integer, CloudLink> shards = byPhoneNumberId.get(phoneNumberId);
        if (shards == null) return Optional.empty();
        return shards.values().stream().findAny()
                .map(any -> shards.get(Shards.of(user, any.target().shardCount())));
    }

    void unregister(CloudLink link) {
        Map<Integer, CloudLink> shards = byPhoneNumberId.get(link.target().phoneNumberId());
        if (shards != null) shards.remove(link.target().shard(), link);
    }

    /**
     * One Graph API call about a number's own objects (its profile, the number itself, its settings) with its access
     * token, answered whole as Meta gave it. {@code body}: JSON, or null for a call without one.
     */
    public OutboundHttp.Received call(String method, URI uri, String accessToken, byte[] body)
            throws IOException, TimeoutException, InterruptedException {
        Request request = http.request(uri, settings.timeout()).method(method)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + accessToken));
        if (body != null) request.body(new BytesRequestContent("application/json", body));
        return http.exchange(request, CloudLink.MAX_ANSWER_BYTES);
    }

    Map<String, CompletableFuture<String>> uploading() {
        return uploading;
    }

    Settings settings() {
        return settings;
    }

    ObjectMapper json() {
        return json;
    }

    OutboundHttp http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
    }
}
