package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.Shards;
import io.switchboard.network.SimLink;
import io.switchboard.network.protocol.Frame;
import java.io.EOFException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FencingTest extends SimTestSupport {
    private static final String USER = "+15551234567";

    @Test
    void aNewerEpochFencesTheOlderLinkWhichStopsForGood() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener old = new RecordingListener();
        SimLink oldLink = link(network, 0, 1, 1, 10, old);
        await().until(oldLink::connected);

        RecordingListener newer = new RecordingListener();
        SimLink newLink = link(network, 0, 1, 2, 10, newer);

        await().until(() -> old.of(RecordingListener.Fenced.class).size() == 1);
        await().until(newLink::connected);
        assertThat(oldLink.connected()).isFalse();
        oldLink.send(1L, USER, "text", "{\"body\":\"from the past\"}");
        Thread.sleep(300);
        assertThat(old.of(RecordingListener.Connected.class)).hasSize(1);
        assertThat(old.of(RecordingListener.Disconnected.class)).isEmpty();
        SimStats stats = network.stats();
        assertThat(stats.get(NUMBER, Counter.FENCED)).isEqualTo(1);
        assertThat(stats.get(NUMBER, Counter.LOGINS)).isEqualTo(2);
        assertThat(stats.get(NUMBER, Counter.RECEIVED)).isZero();
        assertThat(network.received(USER)).isEmpty();
    }

    @Test
    void aLoginWithALowerEpochIsRefused() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener current = new RecordingListener();
        SimLink currentLink = link(network, 0, 1, 5, 10, current);
        await().until(currentLink::connected);

        try (RawClient raw = new RawClient(network.port())) {
            assertThat(raw.login(NUMBER, 0, 1, 4, 10)).isEqualTo(new Frame.LoginFailed("stale epoch"));
        }
        RecordingListener stale = new RecordingListener();
        link(network, 0, 1, 3, 10, stale);
        await().until(() -> stale.of(RecordingListener.Fenced.class).size() == 1);
        assertThat(stale.of(RecordingListener.Fenced.class).getFirst().reason()).contains("stale epoch");
        assertThat(currentLink.connected()).isTrue();
        assertThat(current.of(RecordingListener.Fenced.class)).isEmpty();
    }

    @Test
    void framesFromAFencedConnectionAreCountedAsStaleAndIgnored() throws Exception {
        SimNetwork network = network(fast());
        try (RawClient old = new RawClient(network.port()); RawClient newer = new RawClient(network.port())) {
            assertThat(old.login(NUMBER, 0, 1, 1, 10)).isEqualTo(new Frame.LoginOk());
            assertThat(newer.login(NUMBER, 0, 1, 1, 10)).isEqualTo(new Frame.LoginOk());
            assertThat(old.read()).isInstanceOf(Frame.Fenced.class);

            old.send(new Frame.Send(1L, USER, "text", "{\"body\":\"late\"}"));
            old.send(new Frame.Ping(1L));

            await().until(() -> network.stats().get(NUMBER, Counter.STALE_FRAMES) == 2);
            assertThat(network.stats().get(Counter.RECEIVED)).isZero();
        }
        Thread.sleep(50);
        assertThat(network.received(USER)).isEmpty();
    }

    @Test
    void aLoginWithADifferentShardCountReshardsAndReroutesWaitingItems() throws Exception {
        SimNetwork network = network(fast());
        try (RawClient one = new RawClient(network.port())) {
            assertThat(one.login(NUMBER, 0, 1, 1, 1)).isEqualTo(new Frame.LoginOk());
            String from = "+15550000002";
            network.inject(NUMBER, from, "a");
            network.inject(NUMBER, from, "b");
            assertThat(one.read()).isInstanceOf(Frame.Inbound.class);

            int shard = Shards.of(from, 2);
            try (RawClient two = new RawClient(network.port())) {
                assertThat(two.login(NUMBER, shard, 2, 1, 10)).isEqualTo(new Frame.LoginOk());
                assertThat(one.read()).isInstanceOf(Frame.Fenced.class);
                Frame.Inbound a = (Frame.Inbound) two.read();
                Frame.Inbound b = (Frame.Inbound) two.read();
                assertThat(a.payload()).isEqualTo("{\"body\":\"a\"}");
                assertThat(b.payload()).isEqualTo("{\"body\":\"b\"}");
            }
        }
    }

    @Test
    void aLoginOnTheOldShardCountWithAnOlderEpochCannotReshardTheNumberBack() throws Exception {
        SimNetwork network = network(fast());
        try (RawClient old = new RawClient(network.port()); RawClient newer = new RawClient(network.port())) {
            assertThat(old.login(NUMBER, 1, 4, 7, 10)).isEqualTo(new Frame.LoginOk());
            assertThat(newer.login(NUMBER, 5, 8, 9, 10)).isEqualTo(new Frame.LoginOk());
            assertThat(old.read()).isInstanceOf(Frame.Fenced.class);
            try (RawClient stale = new RawClient(network.port())) {
                assertThat(stale.login(NUMBER, 1, 4, 8, 10))
                        .isEqualTo(new Frame.LoginFailed("stale epoch: the number was re-sharded to 8"));
            }
            try (RawClient next = new RawClient(network.port())) { // a later re-shard, at higher epochs, still works
                assertThat(next.login(NUMBER, 0, 2, 10, 10)).isEqualTo(new Frame.LoginOk());
                assertThat(newer.read()).isInstanceOf(Frame.Fenced.class);
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        SimNetwork network = network(fast().withIdleTimeout(Duration.ofMillis(300)));
        try (RawClient raw = new RawClient(network.port())) {
            long start = System.nanoTime(); // before the login: the network's clock for silence starts after it
            assertThat(raw.login(NUMBER, 0, 1, 1, 10)).isEqualTo(new Frame.LoginOk());
            assertThatThrownBy(raw::read).isInstanceOf(EOFException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
        }
    }
}
