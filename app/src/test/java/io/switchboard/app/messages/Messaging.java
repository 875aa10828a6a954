package io.switchboard.app.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the message tests share: the business number, users who neither read nor reply (so only what a test sends
 * draws on the budget), the three stores, a node with a project that owns the number, and message builders (maps as
 * the JSON a customer writes).
 */
final class Messaging {
    static final String NUMBER = "+919800000001";
    static final SimConfig QUIET_USERS = SimConfig.defaults().withReplyProbability(0).withReadProbability(0);

    private Messaging() {}

    static Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    /** A running node on a store, with a project (its token) that owns {@link #NUMBER}. */
    record ProjectNode(Harness harness, String token) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    static ProjectNode start(TestStores.Kind kind, Path tempDir, String project, int tps) throws Exception {
        Harness harness = new Harness(kind, tempDir, QUIET_USERS);
        try {
            String token = harness.project(project);
            harness.number(token, NUMBER, tps);
            return new ProjectNode(harness, token);
        } catch (Exception | AssertionError e) {
            harness.close();
            throw e;
        }
    }

    /** A map of the given key, value pairs, in order (a null value is left out). */
    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }

    static Map<String, Object> text(String to, String body) {
        return map("from", NUMBER, "to", to, "type", "text", "text", map("body", body));
    }

    static Map<String, Object> withPart(Map<String, Object> message, String field, Object value) {
        return withParts(message, field, value);
    }

    static Map<String, Object> withParts(Map<String, Object> message, Object... pairs) {
        Map<String, Object> copy = new LinkedHashMap<>(message);
        copy.putAll(map(pairs));
        return copy;
    }

    static Map<String, Object> withSchedule(Map<String, Object> message, long at) {
        return withPart(message, "schedule_at", Instant.ofEpochMilli(at).toString());
    }

    /**
     * The user receives nothing before {@code at} (checked until just before it), then the message {@code id},
     * delivered at or after {@code at}.
     */
    static void arrivesNotBefore(SimNetwork network, String user, long at, String id) throws InterruptedException {
        while (System.currentTimeMillis() < at - 200) {
            assertThat(network.received(user)).as("before its time").isEmpty();
            Thread.sleep(50);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !network.received(user).isEmpty());
        UserMessage received = network.received(user).getFirst();
        assertThat(received.messageId()).isEqualTo(Ids.parse(id));
        assertThat(received.atMillis()).as("delivered at or after its time").isGreaterThanOrEqualTo(at);
    }

    /** The id of the first message a 202 answered. */
    static String firstId(JsonNode accepted) {
        return accepted.path("messages").get(0).path("id").asText();
    }
}
