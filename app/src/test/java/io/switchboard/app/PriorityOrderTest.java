package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriorityOrderTest {
    private static final String NUMBER = "+919800000001";

    @TempDir Path tempDir;

    @Test
    void higherPrioritiesGoFirstAndEachLevelKeepsItsOrder() throws Exception {
        SimConfig quietUsers = SimConfig.defaults().withReplyProbability(0.0).withReadProbability(0.0);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, quietUsers)) {
            String token = harness.project("Priorities");
            harness.number(token, NUMBER, 10);
            // Low first and urgent last in one request: the budget (10 a second) makes them queue, and the queue
            // must hand them over by priority, FIFO within a level.
            List<String> priorities = List.of("low", "low", "normal", "normal", "high", "high", "urgent", "urgent");
            List<Map<String, Object>> messages = new ArrayList<>();
            for (int i = 0; i < priorities.size(); i++) {
                messages.add(Map.of("from", NUMBER, "to", user(i), "type", "text",
                        "text", Map.of("body", priorities.get(i) + " " + i), "priority", priorities.get(i)));
            }
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", messages));
            List<Long> ids = new ArrayList<>();
            accepted.path("messages").forEach(m -> ids.add(Ids.parse(m.path("id").asText())));

            await().atMost(Duration.ofSeconds(10)).until(() -> arrivals(harness, priorities.size()).size() == priorities.size());
            List<Long> order = arrivals(harness, priorities.size()).stream().map(UserMessage::messageId).toList();
            assertThat(order).as("order in which the network received the messages")
                    .containsExactly(ids.get(6), ids.get(7), ids.get(4), ids.get(5), ids.get(2), ids.get(3), ids.get(0), ids.get(1));
        }
    }

    private static List<UserMessage> arrivals(Harness harness, int users) {
        List<UserMessage> all = new ArrayList<>();
        for (int i = 0; i < users; i++) all.addAll(harness.network.received(user(i)));
        all.sort(Comparator.comparingLong(UserMessage::atMillis).thenComparing(UserMessage::networkMessageId));
        return all;
    }

    private static String user(int i) {
        return "+1555000010" + i;
    }
}
