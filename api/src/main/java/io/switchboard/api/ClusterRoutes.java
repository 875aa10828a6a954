package io.switchboard.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.store.Project;
import io.switchboard.store.cluster.Leases;
import java.util.function.Predicate;

/**
 * {@code GET /v1/cluster}: the nodes, their health, and who owns which shard. The admin sees every number; a
 * project sees the nodes and its own numbers' shards. A single node (the embedded store) says it is not clustered
 * and shows its own shards.
 */
final class ClusterRoutes {
    private final Api.Cluster cluster;
    private final Engine engine;
    private final Tenants tenants;
    private final Requests requests;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    ClusterRoutes(Api.Cluster cluster, Engine engine, Tenants tenants, Requests requests) {
        this.cluster = cluster;
        this.engine = engine;
        this.tenants = tenants;
        this.requests = requests;
    }

    void addTo(Javalin server) {
        server.get("/v1/cluster", this::cluster);
    }

    private void cluster(Context ctx) {
        Predicate<String> visible = visibleNumbers(ctx.header("Authorization"));
        ObjectNode answer = nodes.objectNode();
        answer.put("clustered", cluster.leases() != null);
        answer.put("self", cluster.nodeId());
        ArrayNode nodeList = answer.putArray("nodes");
        ArrayNode shards = answer.putArray("shards");
        if (cluster.leases() == null) {
            nodeList.addObject().put("id", cluster.nodeId()).put("address", cluster.address()).put("healthy", true);
            for (NumberLine line : engine.lines()) {
                if (!visible.test(line.number().number())) continue;
                for (int shard = 0; shard < line.shards().count(); shard++) {
                    ShardWorker worker = line.shards().get(shard);
                    shards.addObject().put("number", line.number().number()).put("shard", shard)
                            .put("owner", worker == null ? null : cluster.nodeId()).put("epoch", 0)
                            .put("connected", worker != null && worker.connected());
                }
            }
        } else {
            for (Leases.Node node : cluster.leases().nodes()) {
                nodeList.addObject().put("id", node.id()).put("address", node.address())
                        .put("heartbeat_age_ms", node.heartbeatAge()).put("healthy", node.heartbeatAge() <= cluster.leaseMillis());
            }
            for (Leases.Lease lease : cluster.leases().all()) {
                if (!visible.test(lease.number())) continue;
                boolean live = lease.owner() != null && lease.expiresIn() >= 0;
                shards.addObject().put("number", lease.number()).put("shard", lease.shard())
                        .put("owner", live ? lease.owner() : null).put("epoch", lease.epoch())
                        .put("expires_in_ms", lease.expiresIn());
            }
        }
        requests.send(ctx, 200, answer);
    }

    /** Every number for the admin; a project's own numbers for its token. */
    private Predicate<String> visibleNumbers(String authorization) {
        if (tenants.isAdmin(authorization)) return number -> true;
        Project project = tenants.project(authorization);
        return number -> engine.line(number).map(line -> line.project().id().equals(project.id())).orElse(false);
    }
}
