package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Steady sends through a cluster: batches of messages to every live node's API in turn, each acknowledged id
 * remembered with its recipient, so that what never reached the network can be counted after kills and pauses.
 */
public final class ClusterLoad {
    private static final int BATCH = 20;
    private final List<NodeProcess> nodes;
    private final String token;
    private final String from;
    private final SimNetwork network;
    private final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    public ClusterLoad(List<NodeProcess> nodes, String token, String from, SimNetwork network) {
        this.nodes = nodes;
        this.token = token;
        this.from = from;
        this.network = network;
    }

    public ClusterLoad start() {
        thread = Thread.ofPlatform().name("cluster-load").start(() -> {
            long round = 0;
            while (running.get()) {
                NodeProcess node = nodes.get((int) (round++ % nodes.size()));
                if (!node.alive()) {
                    if (nodes.stream().anyMatch(NodeProcess::alive)) continue;
                    try { // all down (or the test that ran them ended without stopping this): wait, do not spin
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                List<Map<String, Object>> batch = new ArrayList<>();
                List<String> users = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    String user = network.users().get((int) ((round * BATCH + i) % network.users().size()));
                    users.add(user);
                    batch.add(Map.of("from", from, "to", user, "type", "text", "text", Map.of("body", "m" + round + "-" + i)));
                }
                try {
                    ApiClient.Answer answer = node.api().post("/v1/messages", token, Map.of("messages", batch));
                    if (answer.status() == 202) {
                        JsonNode ids = answer.body().path("messages");
                        for (int i = 0; i < ids.size(); i++) acknowledged.put(Ids.parse(ids.get(i).path("id").asText()), users.get(i));
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception nodeDownOrPaused) {
                    // a killed or frozen node: the next one takes the next batch
                }
            }
        });
        return this;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
    }

    public int acknowledged() {
        return acknowledged.size();
    }

    /** Acknowledged ids that their user has not received. */
    public Set<Long> missing() {
        Map<String, Set<Long>> received = new HashMap<>();
        return acknowledged.entrySet().stream().filter(e -> !received.computeIfAbsent(e.getValue(),
                user -> network.received(user).stream().map(UserMessage::messageId).collect(Collectors.toSet()))
                .contains(e.getKey())).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * Each shard of the number with its live owner (null when none), as a node's {@code GET /v1/cluster} shows it;
     * empty when the node does not answer.
     */
    public static Map<Integer, String> owners(ApiClient api, String adminToken, String number) {
        Map<Integer, String> owners = new HashMap<>();
        try {
            for (JsonNode shard : api.get("/v1/cluster", adminToken).body().path("shards")) {
                if (!shard.path("number").asText().equals(number)) continue;
                owners.put(shard.path("shard").asInt(), shard.path("owner").isNull() ? null : shard.path("owner").asText());
            }
        } catch (java.io.IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        return owners;
    }

    /** The process whose node id is {@code id}, found by the API address the node reports. */
    public static NodeProcess process(List<NodeProcess> nodes, ApiClient api, String adminToken, String id) throws Exception {
        for (JsonNode node : api.get("/v1/cluster", adminToken).body().path("nodes")) {
            if (!node.path("id").asText().equals(id)) continue;
            String port = node.path("address").asText().replaceAll(".*:", "");
            return nodes.stream().filter(n -> Integer.toString(n.httpPort()).equals(port)).findFirst().orElseThrow();
        }
        throw new IllegalStateException("no node " + id + " in the cluster");
    }
}
