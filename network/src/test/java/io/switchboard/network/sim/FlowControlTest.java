package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.InboundMessage;
import io.switchboard.network.SimLink;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlTest extends SimTestSupport {

    @Test
    void withWindowFiveAndNoAcksOnlyFiveItemsArriveAndAcksReleaseMore() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 5, listener);
        await().until(link::connected);

        for (int i = 0; i < 20; i++) {
            network.inject(NUMBER, "+1555000" + String.format("%04d", i), "msg " + i);
        }

        await().until(() -> listener.of(RecordingListener.Inbound.class).size() == 5);
        Thread.sleep(200);
        assertThat(listener.of(RecordingListener.Inbound.class)).hasSize(5);
        assertThat(network.stats().queued()).isEqualTo(15);

        List<RecordingListener.Inbound> firstFive = listener.of(RecordingListener.Inbound.class);
        for (int i = 0; i < 3; i++) {
            link.ack(firstFive.get(i).seq());
        }
        await().until(() -> listener.of(RecordingListener.Inbound.class).size() == 8);
        Thread.sleep(100);
        assertThat(listener.of(RecordingListener.Inbound.class)).hasSize(8);

        listener.autoAck = link;
        listener.of(RecordingListener.Inbound.class).stream().skip(3).forEach(in -> link.ack(in.seq()));
        await().until(() -> listener.of(RecordingListener.Inbound.class).size() == 20);
        assertThat(listener.of(RecordingListener.Inbound.class))
                .extracting(in -> in.message().payload())
                .first().isEqualTo("{\"body\":\"msg 0\"}");
        await().untilAsserted(() -> {
            SimStats stats = network.stats();
            assertThat(stats.get(Counter.HANDED)).isEqualTo(20);
            assertThat(stats.get(Counter.GENERATED)).isEqualTo(20);
            assertThat(stats.queued()).isZero();
        });
    }

    @Test
    void itemsBeyondTheQueueLimitAreRejectedAndCounted() throws Exception {
        SimNetwork network = network(fast().withQueueLimit(10));

        int accepted = 0;
        for (int i = 0; i < 15; i++) {
            accepted += network.inject(NUMBER, "+15550000001", "msg " + i) ? 1 : 0;
        }

        assertThat(accepted).isEqualTo(10);
        SimStats stats = network.stats();
        assertThat(stats.get(Counter.REJECTED)).isEqualTo(5);
        assertThat(stats.get(NUMBER, Counter.REJECTED)).isEqualTo(5);
        assertThat(stats.get(Counter.GENERATED)).isEqualTo(15);
        assertThat(stats.queued()).isEqualTo(10);

        RecordingListener listener = new RecordingListener();
        listener.autoAck = link(network, 0, 1, 1, 100, listener);
        await().until(() -> listener.of(RecordingListener.Inbound.class).size() == 10);
        assertThat(listener.of(RecordingListener.Inbound.class)).extracting(in -> in.message().payload())
                .first().isEqualTo("{\"body\":\"msg 0\"}");
    }

    @Test
    void unackedItemsAreRedeliveredWithTheSameSeqAndNetworkIdAfterReconnect() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener first = new RecordingListener();
        SimLink firstLink = link(network, 0, 1, 1, 10, first);
        await().until(firstLink::connected);
        for (int i = 0; i < 4; i++) {
            network.inject(NUMBER, "+1555000000" + i, "msg " + i);
        }
        await().until(() -> first.of(RecordingListener.Inbound.class).size() == 4);
        List<RecordingListener.Inbound> delivered = first.of(RecordingListener.Inbound.class);
        firstLink.ack(delivered.get(0).seq());
        await().until(() -> network.stats().get(Counter.HANDED) == 1);
        firstLink.close();
        await().until(() -> network.stats().queued() == 3);

        RecordingListener second = new RecordingListener();
        second.autoAck = link(network, 0, 1, 1, 10, second);

        await().until(() -> second.of(RecordingListener.Inbound.class).size() == 3);
        assertThat(second.of(RecordingListener.Inbound.class)).extracting(RecordingListener.Inbound::seq)
                .containsExactlyElementsOf(delivered.subList(1, 4).stream().map(RecordingListener.Inbound::seq).toList());
        assertThat(second.of(RecordingListener.Inbound.class)).extracting(in -> in.message().networkId())
                .containsExactlyElementsOf(delivered.subList(1, 4).stream().map(in -> in.message().networkId()).toList());
        await().until(() -> network.stats().get(Counter.HANDED) == 4);
    }

    @Test
    void itemsWaitForALoginAndTakeOverByANewerEpochRedeliversTheUnacked() throws Exception {
        SimNetwork network = network(fast());
        network.inject(NUMBER, "+15550000001", "early");
        RecordingListener old = new RecordingListener();
        link(network, 0, 1, 1, 10, old);
        await().until(() -> old.of(RecordingListener.Inbound.class).size() == 1);
        InboundMessage unacked = old.of(RecordingListener.Inbound.class).getFirst().message();

        RecordingListener newer = new RecordingListener();
        newer.autoAck = link(network, 0, 1, 2, 10, newer);

        await().until(() -> newer.of(RecordingListener.Inbound.class).size() == 1);
        assertThat(newer.of(RecordingListener.Inbound.class).getFirst().message()).isEqualTo(unacked);
    }
}
