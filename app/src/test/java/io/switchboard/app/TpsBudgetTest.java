package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A number's TPS is one budget for all four kinds of interaction (sending, receiving, delivery reports, read
 * reports). Under more demand than the budget (a campaign queued far beyond the window, plus random users writing
 * in and recipients replying and reading), the network — counted on its side, not ours — must see the budget used
 * at its rate, within 5%, with every kind getting a share and incoming traffic not starved.
 */
class TpsBudgetTest {
    private static final String NUMBER = "+919800000002";
    private static final int TPS = 100;
    private static final int CAMPAIGN = 3_000;
    private static final int PER_REQUEST = 1_000;
    private static final double INBOUND_PER_SECOND = 60;
    private static final long WARM_UP_MILLIS = 2_000;
    private static final long WINDOW_MILLIS = 10_000;

    @TempDir Path temp;

    /** The network's counters and the node's own figures at one instant. */
    private record Sample(long nanos, long sends, long incomingHanded, long statusesHanded, long generated,
                          long replies, long rejected, long networkQueued, int nodeIncomingWaiting, int nodeOutbox,
                          long[] nodeUsed) {
        static Sample of(Harness harness) {
            ShardWorker shard = harness.node.engine().line(NUMBER).orElseThrow().shards().running().getFirst();
            SimStats stats = harness.network.stats();
            long nanos = System.nanoTime();
            return new Sample(nanos, stats.get(Counter.RECEIVED), stats.get(Counter.HANDED),
                    stats.get(Counter.STATUSES_HANDED), stats.get(Counter.GENERATED), stats.get(Counter.REPLIES),
                    stats.get(Counter.REJECTED), stats.queued(), shard.incomingWaiting(),
                    Arrays.stream(shard.depths()).sum(), shard.budget().used());
        }

        long interactions() {
            return sends + incomingHanded + statusesHanded;
        }
    }

    @Test
    void theBudgetHoldsWithinFivePercentOverTenSecondsWhenSendsReceivesAndBothReportsCompete() throws Exception {
        SimConfig network = SimConfig.defaults().withInboundRatePerNumber(INBOUND_PER_SECOND).withReplyProbability(0.3);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, temp, network)) {
            String token = harness.project("tps budget");
            harness.number(token, NUMBER, TPS);

            // A campaign of many times what the window can send: the outbox never runs dry while we measure.
            List<String> users = harness.network.users();
            for (int from = 0; from < CAMPAIGN; from += PER_REQUEST) {
                List<Map<String, Object>> messages = new ArrayList<>();
                for (int i = from; i < from + PER_REQUEST; i++) {
                    messages.add(Harness.text(NUMBER, users.get(i), "offer number " + i + " for " + users.get(i)));
                }
                JsonNode answer = harness.api.expect(202, "/v1/messages", token, Map.of("messages", messages));
                assertThat(answer.get("messages")).hasSize(PER_REQUEST);
            }

            Thread.sleep(WARM_UP_MILLIS);
            Sample start = Sample.of(harness);
            Thread.sleep(WINDOW_MILLIS);
            Sample end = Sample.of(harness);

            double seconds = (end.nanos() - start.nanos()) / 1e9;
            long sends = end.sends() - start.sends();
            long incoming = end.incomingHanded() - start.incomingHanded();
            long statuses = end.statusesHanded() - start.statusesHanded();
            long generated = end.generated() - start.generated();
            long replies = end.replies() - start.replies();
            long rejected = end.rejected() - start.rejected();
            double rate = (end.interactions() - start.interactions()) / seconds;
            long[] nodeUsed = new long[Kind.values().length];
            for (int k = 0; k < nodeUsed.length; k++) nodeUsed[k] = end.nodeUsed()[k] - start.nodeUsed()[k];
            String figures = String.format(java.util.Locale.ROOT,
                    "over %.3f s the network counted %.1f interactions/s against a budget of %d: sends %d (%.1f/s), "
                            + "incoming handed %d (%.1f/s) of %d generated (%.1f/s) + %d replies, statuses handed %d "
                            + "(%.1f/s); rejected by the network's full queue %d; network queue for the node %d -> %d, "
                            + "node's incoming waiting %d -> %d, node's outbox %d -> %d; node's own budget count "
                            + "send/receive/delivery/read %s = %.1f/s",
                    seconds, rate, TPS, sends, sends / seconds, incoming, incoming / seconds, generated,
                    generated / seconds, replies, statuses, statuses / seconds, rejected, start.networkQueued(),
                    end.networkQueued(), start.nodeIncomingWaiting(), end.nodeIncomingWaiting(), start.nodeOutbox(),
                    end.nodeOutbox(), Arrays.toString(nodeUsed), Arrays.stream(nodeUsed).sum() / seconds);
            System.out.println("TPS budget figures: " + figures);

            assertThat(end.nodeOutbox()).as("demand must exceed the budget the whole window: %s", figures)
                    .isPositive();
            assertThat(rate).as("interactions per second within 5%% of %d: %s", TPS, figures)
                    .isBetween(TPS * 0.95, TPS * 1.05);
            assertThat(sends).as("sends got a share: %s", figures).isPositive();
            assertThat(incoming).as("incoming messages got a share: %s", figures).isPositive();
            assertThat(statuses).as("delivery and read reports got a share: %s", figures).isPositive();
            assertThat(nodeUsed).as("all four kinds drew on the budget, by the node's count: %s", figures)
                    .doesNotContain(0L);
            assertThat(incoming).as("incoming not starved: at least 90%% of the generated rate was taken: %s", figures)
                    .isGreaterThanOrEqualTo(generated * 9 / 10);
            assertThat(end.nodeIncomingWaiting()).as("the campaign's own receipts do not pile up incoming items: %s",
                    figures).isLessThan(400);
            assertThat(rejected).as("nothing the users wrote was lost to the network's full queue: %s", figures)
                    .isZero();
        }
    }
}
