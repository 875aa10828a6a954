package io.switchboard.app;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Changing a number's shard count while a campaign is queued: nothing lost, no user's messages out of order. */
class ReshardTest {
    private static final String NUMBER = "+919800000001";
    private static final int USERS = 20;
    private static final int PER_USER = 10;

    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void reshardingAQueuedCampaignLosesNothingAndKeepsEachUsersOrder(TestStores.Kind kind) throws Exception {
        SimConfig users = SimConfig.defaults().withReadProbability(0).withReplyProbability(0);
        try (Harness harness = new Harness(kind, tempDir, users)) {
            String token = harness.project("Shop");
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 80, "shards", 2));
            // A user's messages in the order they were accepted.
            Map<String, List<Long>> accepted = new LinkedHashMap<>();
            for (int n = 0; n < PER_USER; n++) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int u = 0; u < USERS; u++) batch.add(text(NUMBER, user(u), "u" + u + "-" + n));
                JsonNode answer = harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
                for (int u = 0; u < USERS; u++) {
                    accepted.computeIfAbsent(user(u), k -> new ArrayList<>())
                            .add(Ids.parse(answer.path("messages").get(u).path("id").asText()));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.stats().get(
                    io.switchboard.network.sim.Counter.RECEIVED) >= 20); // some sent, most still queued

            var invalid = harness.api.patch("/v1/numbers/" + NUMBER, token, Map.of("shards", 3, "tps", 400));
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.body().path("error").path("field").asText()).isEqualTo("shards");
            assertThat(harness.node.engine().line(NUMBER).orElseThrow().number().tps()).as("nothing changed").isEqualTo(80);

            JsonNode changed = harness.api.patch("/v1/numbers/" + NUMBER, token, Map.of("shards", 8, "tps", 400)).body();
            assertThat(changed.path("shards").asInt()).isEqualTo(8);
            List<ShardWorker> workers = harness.node.engine().line(NUMBER).orElseThrow().shards().running();
            assertThat(workers).hasSize(8).allSatisfy(worker -> assertThat(worker.budget().tps()).isEqualTo(50.0));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (var entry : accepted.entrySet()) {
                    List<Long> firstArrivals = harness.network.received(entry.getKey()).stream()
                            .map(UserMessage::messageId).distinct().toList();
                    assertThat(firstArrivals).as("%s's messages in the order they arrived", entry.getKey())
                            .isEqualTo(entry.getValue());
                }
            });
        }
    }

    private static String user(int i) {
        return "+1555000" + String.format("%04d", i);
    }
}
