package io.switchboard.app.retention;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes sharing a store, each running one of a number's two shards: deleting the number through one stops the
 * shard the other runs and releases every lease, nothing of it stays queued, and only one node sweeps at a time.
 */
class ClusteredDeletionTest {
    private static final String NUMBER = "+919800000001";

    @TempDir Path tempDir;

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aNumberDeletedThroughOneNodeStopsOnEveryNodeAndOneNodeSweeps(TestStores.Kind kind) throws Exception {
        Map<String, Object> cluster = Map.of("cluster.enabled", true, "cluster.node-id", "node-a",
                "cluster.heartbeat-ms", 200, "cluster.lease-ms", 1_000, "retention.sweep-s", 86_400);
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), cluster);
             Node b = harness.anotherNode(Map.of("cluster.node-id", "node-b"))) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 1, "shards", 2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(owners(http, harness.adminToken)).containsExactlyInAnyOrder("node-a", "node-b"));
            List<Map<String, Object>> bulk = new ArrayList<>();
            for (int i = 0; i < 40; i++) bulk.add(text(NUMBER, "+1555%07d".formatted(i), "Offer " + i));
            harness.api.expect(202, "/v1/messages", token, Map.of("messages", bulk));

            Http.Answer deleted = http.call("DELETE", "/v1/numbers/" + NUMBER, token, null);
            assertThat(deleted.status()).as(String.valueOf(deleted.body())).isEqualTo(204);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(b.engine().shardRunning(NUMBER, 0) || b.engine().shardRunning(NUMBER, 1))
                        .as("node B's shard stopped").isFalse();
                assertThat(b.engine().line(NUMBER)).as("node B took the number out").isEmpty();
                assertThat(owners(http, harness.adminToken)).as("its leases are gone").isEmpty();
                assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE number = ? AND status_rank = 0")).isZero();
            });
            assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE number = ? AND status_rank = 6"))
                    .as("cancelled, not lost").isGreaterThan(20);

            assertThat(harness.node.retention().runOnce().swept()).as("node A takes the sweep lease").isTrue();
            assertThat(b.retention().runOnce().swept()).as("node B waits while A holds it").isFalse();
            while (!harness.node.retention().runOnce().finished()) {
                // a run stops at its bound; the next goes on
            }
            assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE number = ?")).isZero();
        }
    }

    /** The owners of the number's shards that have one, as the cluster shows them. */
    private static List<String> owners(Http http, String adminToken) throws Exception {
        List<String> owners = new ArrayList<>();
        for (JsonNode shard : http.call("GET", "/v1/cluster", adminToken, null).body().path("shards")) {
            if (shard.path("number").asText().equals(NUMBER) && !shard.path("owner").isNull()) {
                owners.add(shard.path("owner").asText());
            }
        }
        return owners;
    }

    private static long rows(Harness harness, String sql) throws Exception {
        try (Connection c = harness.storeConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, NUMBER);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
