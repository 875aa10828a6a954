package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.SimLink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThroughputTest extends SimTestSupport {
    private static final int MESSAGES = 20_000;

    @Test
    void twentyThousandMessagesFlowThroughSendSentDeliveredReadAndRepliesWithinSeconds() throws Exception {
        // The burst of statuses can exceed the default queue limit while the node acks, so raise it here.
        SimNetwork network = network(fast().withReadProbability(0.9).withReplyProbability(0.2).withQueueLimit(100_000));
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 1_000, listener);
        listener.autoAck = link;
        await().until(link::connected);
        List<String> users = network.users();

        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            link.send(i, users.get(i % users.size()), "text", "{\"body\":\"load " + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            SimStats s = network.stats();
            return s.get(Counter.STATUSES_HANDED) == s.get(Counter.DELIVERED) + s.get(Counter.READ)
                    && s.get(Counter.DELIVERED) == MESSAGES && s.get(Counter.HANDED) == s.get(Counter.REPLIES)
                    && s.get(Counter.READ) > MESSAGES * 0.85;
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        SimStats stats = network.stats();
        long frames = stats.get(Counter.RECEIVED) + stats.get(Counter.SENT_ACKS) + 2 * stats.get(Counter.STATUSES_HANDED)
                + 2 * stats.get(Counter.HANDED);
        LoggerFactory.getLogger(ThroughputTest.class).info("{} frames in {} ms", frames, took.toMillis());
        assertThat(listener.of(RecordingListener.Sent.class)).hasSize(MESSAGES);
        assertThat(stats.get(Counter.REJECTED)).isZero();
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
}
