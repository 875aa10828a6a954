package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.SimLink;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeterminismTest extends SimTestSupport {
    private static final int MESSAGES = 200;

    private record Decisions(Set<Long> read, Set<String> replies) {}

    private Decisions run(long seed) throws Exception {
        SimNetwork network = network(fast().withSeed(seed).withReadProbability(0.5).withReplyProbability(0.3));
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 1_000, listener);
        listener.autoAck = link;
        List<String> users = network.users();
        for (int i = 0; i < MESSAGES; i++) {
            link.send(i, users.get(i % users.size()), "text", "{\"body\":\"message " + i + "\"}");
        }
        await().until(() -> network.stats().get(Counter.DELIVERED) == MESSAGES);
        // read and reply follow delivery after 10 ms; give every timer time to fire
        Thread.sleep(300);
        await().until(() -> network.stats().get(Counter.HANDED) == network.stats().get(Counter.REPLIES)
                && network.stats().queued() == 0);
        Set<Long> read = new TreeSet<>();
        listener.of(RecordingListener.Status.class).stream()
                .filter(s -> s.status() == DeliveryStatus.READ).forEach(s -> read.add(s.messageId()));
        Set<String> replies = new TreeSet<>();
        listener.of(RecordingListener.Inbound.class)
                .forEach(in -> replies.add(in.message().from() + " " + in.message().payload()));
        assertThat(read).hasSize((int) network.stats().get(Counter.READ));
        return new Decisions(read, replies);
    }

    @Test
    void twoNetworksWithTheSameSeedMakeTheSameReadAndReplyDecisions() throws Exception {
        Decisions first = run(42);
        Decisions second = run(42);
        Decisions otherSeed = run(43);

        assertThat(first.read()).isNotEmpty().hasSizeLessThan(MESSAGES);
        assertThat(first.replies()).isNotEmpty();
        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }
}
