package io.switchboard.api;

import io.javalin.http.Context;
import io.switchboard.store.Project;
import io.switchboard.store.cluster.Leases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a request on to the node of the cluster that runs a shard, for what only that node can do (take a message
 * out of its line, mark an incoming message read, change a group over the number's connection, take Meta's webhook
 * for its users), so that any node's API serves it, over plain HTTP to the address the node advertises (the nodes'
 * own network). The request goes signed by this node for the caller's project ({@link ClusterCalls}): the caller's
 * token stays here, where it was checked; Meta's signature goes along with its webhook. A request passed on once
 * carries {@value #FORWARDED} and is never passed on again.
 */
final class ShardOwners {
    static final String FORWARDED = "Switchboard-Forwarded";
    /** The shards a request was passed on for, {@code number/shard} separated by commas. */
    static final String FOR_SHARDS = "Switchboard-Forwarded-Shards";
    private static final Pattern SHARD = Pattern.compile("(\\+[0-9]{1,15})/([0-9]{1,2})");
    private static final Logger LOG = LoggerFactory.getLogger(ShardOwners.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Api.Cluster cluster;
    private final ClusterCalls calls;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ShardOwners(Api.Cluster cluster, java.time.Clock clock) {
        this.cluster = cluster;
        this.calls = new ClusterCalls(cluster.key(), clock);
    }

    /** One shard of a number, written {@code number/shard} in {@value #FOR_SHARDS}. */
    record Shard(String number, int shard) {
        @Override
        public String toString() {
            return number + "/" + shard;
        }
    }

    /** Thrown once another node's answer is written as this request's, to end the request here with nothing more done. */
    static final class Answered extends RuntimeException {
        Answered() {
            super(null, null, false, false);
        }
    }

    /** Whether this node is one of a cluster (else no other node runs anything). */
    boolean clustered() {
        return cluster.leases() != null;
    }

    /** Whether another node passed the request on to this one: it is then never passed on again. */
    static boolean passedOn(Context ctx) {
        return ctx.header(FORWARDED) != null;
    }

    /** The shards another node passed the request on for (none named: empty); 400 when the header is not readable. */
    static Set<Shard> passedOnFor(Context ctx) {
        String named = ctx.header(FOR_SHARDS);
        Set<Shard> shards = new LinkedHashSet<>();
        if (named == null || named.isBlank()) return shards;
        for (String one : named.split(",")) {
            Matcher shard = SHARD.matcher(one.strip());
            if (!shard.matches()) {
                throw ApiError.badRequest("invalid_header", FOR_SHARDS + " must list number/shard, such as "
                        + "+919800000001/3, separated by commas", FOR_SHARDS);
            }
            shards.add(new Shard(shard.group(1), Integer.parseInt(shard.group(2))));
        }
        return shards;
    }

    /**
     * Passes the request (its method, path and body) on to the node whose lease holds ({@code number}, {@code shard})
     * and writes that node's answer as this one's: false, with nothing written, when there is no such other live
     * node, it could not be reached, or the request was passed on already.
     */
    boolean answeredByOwner(Context ctx, Project project, String number, int shard) {
        return answeredBy(ctx, project, number, lease -> lease.shard() == shard);
    }

    /** The same with any other node that runs a shard of the number (for what any of its connections can do). */
    boolean answeredByAnyOwner(Context ctx, Project project, String number) {
        return answeredBy(ctx, project, number, lease -> true);
    }

    private boolean answeredBy(Context ctx, Project project, String number, Predicate<Leases.Lease> which) {
        Leases leases = cluster.leases();
        if (leases == null || passedOn(ctx)) return false;
        Optional<String> address = ownerAddress(leases.all(), leases.nodes(), number, which);
        if (address.isEmpty()) return false;
        HttpRequest request = passOn(ctx, address.get(), project.id(), null).header(ClusterCalls.PROJECT, project.id())
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

    /**
     * Passes the request's raw body and its {@code header} on to the nodes whose leases hold {@code shards}: one call
     * to each node, naming in {@value #FOR_SHARDS} the shards it is to take. Completes once every node has answered:
     * true when each answered 200 (or there was nothing to pass on); false, at once, when a shard has no live owner
     * other than this node or the request was passed on already, or when a node could not be reached or answered
     * otherwise.
     */
    CompletableFuture<Boolean> takenByOwners(Context ctx, Set<Shard> shards, String header) {
        if (shards.isEmpty()) return CompletableFuture.completedFuture(true);
        Leases leases = cluster.leases();
        if (leases == null || passedOn(ctx)) return CompletableFuture.completedFuture(false);
        Map<String, Set<Shard>> byAddress = new LinkedHashMap<>();
        List<Leases.Lease> all = leases.all();
        List<Leases.Node> nodes = leases.nodes();
        for (Shard shard : shards) {
            Optional<String> address = ownerAddress(all, nodes, shard.number(), lease -> lease.shard() == shard.shard());
            if (address.isEmpty()) {
                LOG.warn("{} {}: no other live node runs {}", ctx.method(), ctx.path(), shard);
                return CompletableFuture.completedFuture(false);
            }
            byAddress.computeIfAbsent(address.get(), owner -> new LinkedHashSet<>()).add(shard);
        }
        List<CompletableFuture<Boolean>> taken = new ArrayList<>();
        byAddress.forEach((address, theirs) -> taken.add(takenBy(ctx, address, theirs, header)));
        return CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new))
                .thenApply(answered -> taken.stream().allMatch(CompletableFuture::join));
    }

    private CompletableFuture<Boolean> takenBy(Context ctx, String address, Set<Shard> shards, String header) {
        String named = shards.stream().map(Shard::toString).collect(Collectors.joining(","));
        String call = ctx.method() + " " + ctx.path(); // the answer comes on the HTTP client's thread
        HttpRequest request = passOn(ctx, address, null, named)
                .header(header, String.valueOf(ctx.header(header)))
                .header(FOR_SHARDS, named)
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((answer, failure) -> {
            if (failure != null) {
                Throwable why = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
                LOG.warn("{}: the node that runs {} at {} did not answer: {}", call, named, address, why.toString());
                return false;
            }
            if (answer.statusCode() != 200) {
                LOG.warn("{}: the node that runs {} at {} answered {}", call, named, address, answer.statusCode());
            }
            return answer.statusCode() == 200;
        });
    }

    /** The address of a live node other than this one whose lease holds a shard of the number that {@code which} takes. */
    private Optional<String> ownerAddress(List<Leases.Lease> leases, List<Leases.Node> nodes, String number,
                                         Predicate<Leases.Lease> which) {
        return leases.stream()
                .filter(lease -> lease.number().equals(number) && which.test(lease))
                .filter(lease -> lease.owner() != null && lease.expiresIn() >= 0 && !lease.owner().equals(cluster.nodeId()))
                .findFirst()
                .flatMap(lease -> nodes.stream().filter(node -> node.id().equals(lease.owner())).findFirst())
                .map(Leases.Node::address);
    }

    /**
     * The request as this node passes it on to the node at {@code address}, signed for the project (or, for Meta's
     * webhooks, none) and the shards it names.
     */
    private HttpRequest.Builder passOn(Context ctx, String address, String projectId, String shards) {
        byte[] body = ctx.bodyAsBytes();
        return HttpRequest.newBuilder(URI.create("http://" + address + ctx.path()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(FORWARDED, cluster.nodeId())
                .header(ClusterCalls.SIGNATURE, calls.sign(ctx.method().name(), ctx.path(), cluster.nodeId(), projectId,
                        shards, body))
                .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
