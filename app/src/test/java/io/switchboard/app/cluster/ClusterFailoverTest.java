package io.switchboard.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.bench.ClusterLoad;
import io.switchboard.app.bench.NodeProcess;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real node processes sharing one PostgreSQL or MariaDB database and the simulated network, under load: the owner
 * of a shard killed with SIGKILL, another frozen with SIGSTOP past its lease, nodes joining and leaving. Every
 * acknowledged message must reach the network; a frozen node must never send once it wakes.
 */
class ClusterFailoverTest {
    private static final String NUMBER = "+919800000001";
    private static final int SHARDS = 4;
    private static final long LEASE_MS = 2_500;
    private static final long HEARTBEAT_MS = 500;

    @TempDir Path temp;

    private final String adminToken = Tokens.newToken("sba_");
    private final String masterKey = Base64.getEncoder().encodeToString(new byte[32]);

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void shardsFailOverAndRebalanceWithNothingLostAndNoStaleSends(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, temp);
             SimNetwork network = SimNetwork.start(SimConfig.defaults().withPort(0).withStatsPort(0)
                     .withReadProbability(0).withReplyProbability(0))) {
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) nodes.add(node(store, network, i).start());
                ApiClient api = nodes.getFirst().api();
                String token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "cluster")).get("token").asText();
                api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 400, "shards", SHARDS));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(owners(api).values()).doesNotContainNull().hasSize(SHARDS));
                // 4 shards over 3 nodes: 2, 1 and 1.
                assertThat(owners(api).values().stream().collect(Collectors.groupingBy(o -> o, Collectors.counting())).values())
                        .containsExactlyInAnyOrder(2L, 1L, 1L);

                ClusterLoad load = new ClusterLoad(nodes, token, NUMBER, network).start();
                Thread.sleep(1_000);

                // kill -9 the owner of shard 0: another node serves it within the lease (plus a round and slack).
                String owner = await().until(() -> owners(api).get(0), java.util.Objects::nonNull);
                NodeProcess victim = byId(nodes, api, owner);
                long killed = System.nanoTime();
                step(kind, "kill -9 the owner of shard 0, " + owner);
                assertThat(victim.kill9()).isEqualTo(137);
                NodeProcess survivor = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    String now = owners(survivor.api()).get(0);
                    return now != null && !now.equals(owner);
                });
                long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("%s: shard 0 served again %d ms after its owner was killed%n", kind, failoverMillis);
                assertThat(failoverMillis).as("failover time").isLessThan(LEASE_MS + HEARTBEAT_MS + 2_500);
                victim.start(); // it comes back as a new node and takes its share again

                // SIGSTOP the owner of shard 1 past its lease: it is replaced, and once resumed never sends.
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(owners(survivor.api()).values()).doesNotContainNull().hasSize(SHARDS));
                // Read again: a rebalance may hand shard 1 on between the two reads (null for a moment).
                String frozenId = await().until(() -> owners(survivor.api()).get(1), java.util.Objects::nonNull);
                NodeProcess frozen = byId(nodes, survivor.api(), frozenId);
                NodeProcess other = nodes.stream().filter(n -> n != frozen && n.alive()).findFirst().orElseThrow();
                long staleBefore = network.stats().get(Counter.STALE_SENDS);
                step(kind, "SIGSTOP the owner of shard 1, " + frozenId);
                frozen.pause();
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    String now = owners(other.api()).get(1);
                    return now != null && !now.equals(frozenId);
                });
                step(kind, "SIGCONT " + frozenId);
                frozen.resume();
                // Its renewal finds the lease lost, or (frozen mid-round) the network's fence stopped the worker first.
                await().atMost(Duration.ofSeconds(10)).until(() -> frozen.log().contains("shard " + NUMBER + "/1: stopped here"));
                Thread.sleep(2 * HEARTBEAT_MS);
                assertThat(network.stats().get(Counter.STALE_SENDS) - staleBefore)
                        .as("messages sent on a fenced shard link").isZero();

                // Re-shard under load, down and up (through different nodes): every node stops the old shards, the
                // queue moves, the new ones spread; nodes that have not seen it yet store messages for old shards.
                reshard(kind, other, token, 2);
                reshard(kind, frozen, token, 8); // through the node that woke from its freeze

                step(kind, "re-sharded; the load stops");
                load.stop();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(load.missing()).as(() -> "acknowledged messages that never reached the network: "
                                + whereMissing(store, load.missing())).isEmpty());
                assertThat(load.acknowledged()).isGreaterThan(100);

                // A fourth node joins: two shards each. One leaves cleanly: the rest take its shards at once.
                nodes.add(node(store, network, 3).start());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    var owners = owners(other.api()).values();
                    assertThat(owners).doesNotContainNull();
                    assertThat(owners.stream().collect(Collectors.groupingBy(o -> o, Collectors.counting())).values())
                            .containsExactlyInAnyOrder(2L, 2L, 2L, 2L);
                });
                NodeProcess leaving = nodes.getLast();
                String leavingId = nodeId(other.api(), leaving);
                leaving.stop();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(owners(other.api()).values())
                        .doesNotContainNull().doesNotContain(leavingId).hasSize(8));
            } finally {
                for (NodeProcess node : nodes) node.close();
            }
        }
    }

    private void reshard(TestStores.Kind kind, NodeProcess through, String token, int shards) throws Exception {
        step(kind, "re-shard to " + shards);
        assertThat(through.api().patch("/v1/numbers/" + NUMBER, token, Map.of("shards", shards)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(owners(through.api()).values()).doesNotContainNull().hasSize(shards));
    }

    /** Marks a step in the output, at the time of day the node logs use, to read them side by side. */
    private static void step(TestStores.Kind kind, String what) {
        System.out.printf("%tT.%<tL %s: %s%n", System.currentTimeMillis(), kind, what);
    }

    private NodeProcess node(TestStores.TestStore store, SimNetwork network, int index) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("SWITCHBOARD_ADMIN_TOKEN", adminToken,
                "SWITCHBOARD_MASTER_KEY", masterKey, "SWITCHBOARD_DB_URL", store.url(),
                "SWITCHBOARD_DB_USER", store.user(), "SWITCHBOARD_CLUSTER_HEARTBEAT_MS", Long.toString(HEARTBEAT_MS),
                "SWITCHBOARD_CLUSTER_LEASE_MS", Long.toString(LEASE_MS)));
        if (store.password() != null) environment.put("SWITCHBOARD_DB_PASSWORD", store.password());
        return new NodeProcess(temp.resolve("node-" + index + ".log"), environment, "--cluster",
                "--network", "127.0.0.1:" + network.port(), "--data", temp.resolve("data-" + index).toString());
    }

    /** Where the store has the missing messages (shard, status, handoff, age) and the leases: what a failure needs. */
    private static String whereMissing(TestStores.TestStore store, java.util.Set<Long> missing) {
        if (missing.isEmpty()) return "none";
        String ids = missing.stream().map(String::valueOf).collect(Collectors.joining(","));
        try (var c = java.sql.DriverManager.getConnection(store.url(), store.user(), store.password());
             var s = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            try (var rows = s.executeQuery("SELECT m.shard, m.status_rank, h.shard IS NOT NULL, COUNT(*), MIN(m.created_at), "
                    + "MAX(m.created_at) FROM messages m LEFT JOIN handoffs h ON h.message_id = m.id WHERE m.id IN (" + ids
                    + ") GROUP BY m.shard, m.status_rank, h.shard IS NOT NULL")) {
                while (rows.next()) {
                    out.append(String.format("%n  shard %d status %d handoff %s: %d created %tT.%<tL..%tT.%<tL",
                            rows.getInt(1), rows.getInt(2), rows.getBoolean(3), rows.getLong(4), rows.getLong(5), rows.getLong(6)));
                }
            }
            try (var rows = s.executeQuery("SELECT shard, owner, epoch FROM shard_leases ORDER BY shard")) {
                while (rows.next()) out.append(String.format("%n  lease %d: %s at %d", rows.getInt(1), rows.getString(2), rows.getLong(3)));
            }
            return out.toString();
        } catch (java.sql.SQLException e) {
            return "(store not readable: " + e.getMessage() + ")";
        }
    }

    private Map<Integer, String> owners(ApiClient api) throws Exception {
        return ClusterLoad.owners(api, adminToken, NUMBER);
    }

    private NodeProcess byId(List<NodeProcess> nodes, ApiClient api, String id) throws Exception {
        return ClusterLoad.process(nodes, api, adminToken, id);
    }

    private String nodeId(ApiClient api, NodeProcess process) throws Exception {
        return java.util.stream.StreamSupport.stream(api.get("/v1/cluster", adminToken).body().path("nodes").spliterator(), false)
                .filter(n -> n.path("address").asText().endsWith(":" + process.httpPort()))
                .filter(n -> n.path("healthy").asBoolean()).map(n -> n.path("id").asText()).findFirst().orElseThrow();
    }
}
