package io.switchboard.api;

import io.javalin.http.Context;
import io.switchboard.store.cluster.Leases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a request on to the node of the cluster that runs a shard, for what only that node can do (take a message
 * out of its line, mark an incoming message read, change a group over the number's connection), so that any node's
 * API serves it. The caller's own token goes with it, over plain HTTP to the address the node advertises (the nodes'
 * own network), and a request passed on once carries {@value #FORWARDED} and is never passed on again.
 */
final class ShardOwners {
    static final String FORWARDED = "Switchboard-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(ShardOwners.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Api.Cluster cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ShardOwners(Api.Cluster cluster) {
        this.cluster = cluster;
    }

    /** Thrown once another node's answer is written as this request's, to end the request here with nothing more done. */
    static final class Answered extends RuntimeException {
        Answered() {
            super(null, null, false, false);
        }
    }

    /**
     * Passes the request (its method, path and body) on to the node whose lease holds ({@code number}, {@code shard})
     * and writes that node's answer as this one's: false, with nothing written, when there is no such other live
     * node, it could not be reached, or the request was passed on already.
     */
    boolean answeredByOwner(Context ctx, String number, int shard) {
        return answeredBy(ctx, number, lease -> lease.shard() == shard);
    }

    /** The same with any other node that runs a shard of the number (for what any of its connections can do). */
    boolean answeredByAnyOwner(Context ctx, String number) {
        return answeredBy(ctx, number, lease -> true);
    }

    private boolean answeredBy(Context ctx, String number, java.util.function.Predicate<Leases.Lease> which) {
        Leases leases = cluster.leases();
        if (leases == null || ctx.header(FORWARDED) != null) return false;
        Optional<String> address = leases.all().stream()
                .filter(lease -> lease.number().equals(number) && which.test(lease))
                .filter(lease -> lease.owner() != null && lease.expiresIn() >= 0 && !lease.owner().equals(cluster.nodeId()))
                .findFirst()
                .flatMap(lease -> leases.nodes().stream().filter(node -> node.id().equals(lease.owner())).findFirst())
                .map(Leases.Node::address);
        if (address.isEmpty()) return false;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address.get() + ctx.path()))
                .timeout(TIMEOUT)
                .header("Authorization", String.valueOf(ctx.header("Authorization")))
                .header("Content-Type", "application/json")
                .header(FORWARDED, cluster.nodeId())
                .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()))
                .build();
        try {
            HttpResponse<byte[]> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
            return true;
        } catch (IOException e) {
            LOG.warn("{} {}: the node that runs {} at {} did not answer: {}", ctx.method(), ctx.path(), number,
                    address.get(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
