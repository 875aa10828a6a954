package io.switchboard.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store is single-node: it says so when asked to cluster, and shows its one node's shards. */
class SingleNodeTest {
    @TempDir Path tempDir;

    @Test
    void theEmbeddedStoreRefusesToClusterAndSaysWhy() {
        assertThatThrownBy(() -> new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(),
                Map.of("cluster.enabled", true)).close())
                .hasMessageContaining("single-node").hasMessageContaining("PostgreSQL or MariaDB");
    }

    @Test
    void aSingleNodeShowsItselfOwningEveryShard() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            String token = harness.project("Shop");
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", "+919800000001", "tps", 20, "shards", 2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode cluster = harness.api.get("/v1/cluster", harness.adminToken).body();
                assertThat(cluster.path("clustered").booleanValue()).isFalse();
                assertThat(cluster.path("nodes")).hasSize(1);
                assertThat(cluster.path("shards")).hasSize(2).allSatisfy(shard -> {
                    assertThat(shard.path("owner").asText()).isEqualTo(cluster.path("self").asText());
                    assertThat(shard.path("connected").booleanValue()).isTrue();
                });
            });
        }
    }
}
