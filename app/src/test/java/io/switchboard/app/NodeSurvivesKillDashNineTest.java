package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.bench.NodeProcess;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.network.sim.SimStats;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process, on the embedded store, killed with SIGKILL (no shutdown hook, no flush) while most of the
 * messages it acknowledged with 202 are still queued, then started again on the same data folder: every
 * acknowledged message must still reach the network. Duplicates are allowed (at-least-once), loss is not.
 */
class NodeSurvivesKillDashNineTest {
    private static final String NUMBER = "+919800000001";
    private static final int MESSAGES = 600;
    private static final int PER_REQUEST = 100;
    /** Low enough that most of the campaign is still queued at the kill; high enough to drain in ~25 s after it. */
    private static final int TPS = 50;
    /** SENDs the network has before the kill: some confirmed (SENT written), some not, most of the campaign queued. */
    private static final int SENT_BEFORE_KILL = 100;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(45);

    @TempDir Path temp;

    private final String adminToken = Tokens.newToken("sba_");
    private SimNetwork network;
    private NodeProcess node;

    @AfterEach
    void stopEverything() throws Exception {
        if (node != null) node.close();
        if (network != null) network.close();
    }

    /** A node on the embedded store in the test's data folder, its receivers on loopback. */
    private NodeProcess node() throws IOException {
        return new NodeProcess(temp.resolve("node.log"), Map.of("SWITCHBOARD_ADMIN_TOKEN", adminToken,
                "SWITCHBOARD_ALLOW_PRIVATE_URLS", "true"), "--network", "127.0.0.1:" + network.port(),
                "--data", temp.resolve("data").toString());
    }

    @Test
    void aNodeKilledWithKillDashNineAfterAcceptingSendsEveryAcknowledgedMessageOnceRestarted() throws Exception {
        // Only the campaign and its delivered reports draw on the budget: no reads, no replies, no inbound traffic.
        // A slow SENT (1 s) keeps ~25 sends unconfirmed at any time, so the kill always catches some: the node
        // cannot know whether the network had those, and must send them again (duplicates, never loss).
        network = SimNetwork.start(SimConfig.defaults().withPort(0).withStatsPort(0).withAckMillis(1_000)
                .withReadProbability(0).withReplyProbability(0));
        long started = System.nanoTime();
        node = node().start();
        ApiClient api = node.api();

        String token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "kill -9")).get("token").asText();
        api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", TPS, "shards", 1));

        // Every id the node acknowledged with 202, by recipient (one message per recipient).
        List<String> users = network.users().subList(0, MESSAGES);
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        for (int from = 0; from < MESSAGES; from += PER_REQUEST) {
            List<String> batch = users.subList(from, from + PER_REQUEST);
            List<Map<String, Object>> messages = new ArrayList<>();
            for (String user : batch) {
                messages.add(Map.of("from", NUMBER, "to", user, "type", "text",
                        "text", Map.of("body", "campaign for " + user), "priority", "normal"));
            }
            JsonNode answer = api.expect(202, "/v1/messages", token, Map.of("messages", messages));
            assertThat(answer.get("messages")).as("answer to a bulk of %d", PER_REQUEST).hasSize(PER_REQUEST);
            for (int i = 0; i < batch.size(); i++) {
                JsonNode accepted = answer.get("messages").get(i);
                assertThat(accepted.get("status").asText()).isEqualTo("queued");
                long id = Ids.parse(accepted.get("id").asText());
                assertThat(id).as("id %s", accepted.get("id")).isNotNegative();
                acknowledged.put(batch.get(i), id);
            }
        }
        assertThat(acknowledged).hasSize(MESSAGES);

        // Kill mid-campaign, while sends are in flight and SENT reports unwritten, not only before the first send.
        await().atMost(Duration.ofSeconds(20)).until(() -> network.stats().get(Counter.RECEIVED) >= SENT_BEFORE_KILL);
        int exitCode = node.kill9();
        assertThat(exitCode).as("128 + SIGKILL: no shutdown hook ran").isEqualTo(137);
        SimStats atKill = network.stats();
        long receivedAtKill = atKill.get(Counter.RECEIVED);
        int reachedAtKill = MESSAGES - missing(acknowledged).size();
        assertThat(receivedAtKill)
                .as("the network must not have had every message before the kill, or the test proves nothing; log:%n%s",
                        node.log())
                .isLessThan(MESSAGES);

        long restarted = System.nanoTime();
        node.start();

        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, Long> missing = missing(acknowledged);
            assertThat(missing)
                    .overridingErrorMessage(() -> missing.size() + " of " + MESSAGES + " acknowledged messages never "
                            + "reached the network (received at kill " + receivedAtKill + ", network now "
                            + network.stats().toJson() + "), e.g. " + missing.entrySet().stream().limit(5)
                            .map(e -> e.getKey() + "=" + Ids.format(e.getValue())).toList() + "; node log:\n" + node.log())
                    .isEmpty();
        });

        SimStats end = network.stats();
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
        System.out.printf("kill -9 figures: acknowledged %d, network had received %d (%d reached users) when the node "
                        + "was killed (exit code %d); after the restart all %d arrived in %d ms; network received %d "
                        + "SENDs in all, %d duplicates; whole test %d ms%n",
                MESSAGES, receivedAtKill, reachedAtKill, exitCode, MESSAGES, drainMillis, end.get(Counter.RECEIVED),
                end.get(Counter.DUPLICATES), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(end.get(Counter.RECEIVED) - end.get(Counter.DUPLICATES))
                .as("first-time SENDs: exactly the acknowledged messages, nothing else").isEqualTo(MESSAGES);
    }

    @Test
    void webhookCallsOwedWhenTheNodeIsKilledWithKillDashNineAreAllDeliveredInOrderAfterTheRestart() throws Exception {
        network = SimNetwork.start(SimConfig.defaults().withPort(0).withStatsPort(0).withReadProbability(1.0)
                .withReplyProbability(0));
        try (Receiver receiver = new Receiver()) {
            // The customer's server is failing, slowly, when the node dies: calls are under way and more are owed.
            receiver.answer(call -> {
                pause(50);
                return new Receiver.Answer(503, "{}");
            });
            node = node().start();
            ApiClient api = node.api();
            String token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "kill -9 webhooks",
                    "webhook_url", receiver.url("/webhook"), "event_webhook_url", receiver.url("/events"))).get("token").asText();
            api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 1_000, "shards", 1));

            int users = 20, perUser = 10;
            for (int n = 0; n < perUser; n++) {
                for (int u = 0; u < users; u++) {
                    assertThat(network.inject(NUMBER, network.users().get(u), "u" + u + "-" + n)).isTrue();
                }
            }
            JsonNode sent = api.expect(202, "/v1/messages", token, Map.of("from", NUMBER, "to", network.users().get(0),
                    "type", "text", "text", Map.of("body", "your order")));
            String sentId = sent.path("messages").get(0).path("id").asText();
            // Every incoming message stored (the network has its acks) and the Webhook tried: then kill.
            await().atMost(Duration.ofSeconds(20)).until(() -> network.stats().numbers().get(NUMBER).get("queued") == 0
                    && network.stats().numbers().get(NUMBER).get("in_flight") == 0 && !receiver.attempts("/webhook").isEmpty());
            node.kill9();
            assertThat(receiver.calls("/webhook")).as("nothing was taken before the kill").isEmpty();

            receiver.answer(call -> Receiver.Answer.ok());
            node.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(receiver.calls("/webhook").stream().map(Receiver.Call::webhookId).distinct().count())
                        .isEqualTo((long) users * perUser);
                assertThat(receiver.events("/events")).filteredOn(e -> e.path("message_id").asText().equals(sentId))
                        .extracting(e -> e.path("status").asText()).contains("sent", "delivered", "read");
            });
            Map<String, List<String>> byUser = receiver.textsByUser("/webhook");
            for (int u = 0; u < users; u++) {
                List<String> expected = new ArrayList<>();
                for (int n = 0; n < perUser; n++) expected.add("u" + u + "-" + n);
                assertThat(byUser.get(network.users().get(u))).as("user %d, in arrival order", u).isEqualTo(expected);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The acknowledged messages the network has not handed to their recipient (yet). */
    private Map<String, Long> missing(Map<String, Long> acknowledged) {
        Map<String, Long> missing = new LinkedHashMap<>();
        acknowledged.forEach((user, id) -> {
            Set<Long> got = network.received(user).stream().map(UserMessage::messageId).collect(Collectors.toSet());
            if (!got.contains(id)) missing.put(user, id);
        });
        return missing;
    }
}
