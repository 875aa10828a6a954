package io.switchboard.app.webhooks;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tenant's endpoints down while traffic goes on: the node holds only a window of the owed Webhook calls and events
 * in memory and reads the rest back from the store as the endpoint takes them, also after a restart. Everything
 * arrives once the endpoint is back, once each, each user's messages and each message's events in order.
 */
class OwedCallsInStoreTest {
    private static final String NUMBER = "+919800000001";
    private static final int WINDOW = 40;
    private static final int USERS = 20;
    private static final int PER_USER = 15;
    private static final int SENDS = 40;
    private static final Map<String, Object> SETTINGS = Map.of("webhooks.calls-in-memory", WINDOW,
            "webhooks.retry-first-ms", 100, "webhooks.retry-max-ms", 400, "webhooks.circuit-failures", 5);

    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    private Harness harness(TestStores.Kind kind) throws Exception {
        // Every sent message is read at once and nobody replies: three events a send, and only the injected incoming.
        return new Harness(kind, tempDir, SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0.0), SETTINGS);
    }

    /** A project with the number; answers the project as made (its token and id). */
    private static JsonNode shop(Harness harness) throws Exception {
        JsonNode project = harness.createProject("Shop", Map.of());
        harness.number(project.path("token").asText(), NUMBER, 1_000);
        return project;
    }

    /**
     * Incoming messages from every user and sends with their events, while the project's endpoints fail: everything
     * is owed, in memory or in the store.
     */
    private static void trafficOwed(Harness harness, JsonNode project) throws Exception {
        String token = project.path("token").asText();
        UsersWritingIn.inject(harness, NUMBER, USERS, PER_USER);
        for (int i = 0; i < SENDS; i++) {
            harness.api.expect(202, "/v1/messages", token, text(NUMBER, UsersWritingIn.user(50 + i), "offer " + i));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(harness.node.dispatcher()
                .backlog(project.path("id").asText())).isEqualTo(USERS * PER_USER + 3L * SENDS));
    }

    /** The most owed calls the node held in memory at once, sampled every few milliseconds while it runs. */
    private static final class PeakInMemory implements AutoCloseable {
        private final AtomicInteger peak = new AtomicInteger();
        private volatile boolean running = true;
        private final Thread sampler;

        PeakInMemory(IntSupplier inMemory) {
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    peak.accumulateAndGet(inMemory.getAsInt(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            });
        }

        int peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.join();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aDownEndpointCostsAWindowOfMemoryAndGetsEverythingInOrderWhenBack(TestStores.Kind kind) throws Exception {
        try (Harness harness = harness(kind)) {
            JsonNode project = shop(harness);
            String projectId = project.path("id").asText();
            harness.receiver.down();
            try (PeakInMemory memory = new PeakInMemory(() -> harness.node.dispatcher().inMemory(projectId))) {
                trafficOwed(harness, project);
                harness.receiver.up();
                awaitEverything(harness);
                assertThat(memory.peak()).as("owed calls in memory at once: a window of each kind")
                        .isPositive().isLessThanOrEqualTo(2 * WINDOW);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.node.dispatcher().backlog(projectId) == 0);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aRestartReadsWhatIsOwedBackAPageAtATime(TestStores.Kind kind) throws Exception {
        try (Harness harness = harness(kind)) {
            JsonNode project = shop(harness);
            String projectId = project.path("id").asText();
            harness.receiver.answer(call -> new Receiver.Answer(503, "{}"));
            trafficOwed(harness, project);
            harness.node.close();

            harness.receiver.answer(call -> Receiver.Answer.ok());
            try (Node restarted = harness.anotherNode();
                 PeakInMemory memory = new PeakInMemory(() -> restarted.dispatcher().inMemory(projectId))) {
                awaitEverything(harness);
                assertThat(memory.peak()).isPositive().isLessThanOrEqualTo(2 * WINDOW);
                await().atMost(Duration.ofSeconds(5)).until(() -> restarted.dispatcher().backlog(projectId) == 0);
            }
        }
    }

    /** Every incoming message taken once, each user's in order; every send's three events, each in order, once. */
    private static void awaitEverything(Harness harness) {
        await().atMost(Duration.ofSeconds(60)).until(() -> takenIds(harness, "/webhook").size() == USERS * PER_USER
                && harness.receiver.events("/events").size() >= 3 * SENDS);
        List<String> ids = takenIds(harness, "/webhook");
        assertThat(ids).as("each Webhook call taken once").doesNotHaveDuplicates();
        UsersWritingIn.assertEveryUserInOrder(harness, USERS, PER_USER);
        List<JsonNode> events = harness.receiver.events("/events");
        assertThat(events).hasSize(3 * SENDS);
        Map<String, List<String>> byMessage = events.stream().collect(Collectors.groupingBy(
                e -> e.path("message_id").asText(), Collectors.mapping(e -> e.path("status").asText(), Collectors.toList())));
        assertThat(byMessage).hasSize(SENDS).allSatisfy((id, statuses) ->
                assertThat(statuses).as("message %s's events", id).containsExactly("sent", "delivered", "read"));
    }

    private static List<String> takenIds(Harness harness, String path) {
        return harness.receiver.calls(path).stream().map(Receiver.Call::webhookId).toList();
    }
}
