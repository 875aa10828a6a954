package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.SimLink;
import io.switchboard.network.Shards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFlowTest extends SimTestSupport {
    private static final String USER = "+15551234567";

    @Test
    void aSentMessageIsAckedThenDeliveredThenReadAndLandsInTheUsersInbox() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 100, listener);
        listener.autoAck = link;
        await().until(link::connected);

        link.send(7L, USER, "text", "{\"body\":\"hello\"}");

        await().until(() -> listener.of(RecordingListener.Status.class).size() == 2);
        List<Object> flow = listener.events().stream()
                .filter(e -> !(e instanceof RecordingListener.Connected)).toList();
        assertThat(flow).hasSize(3);
        RecordingListener.Sent sent = (RecordingListener.Sent) flow.get(0);
        RecordingListener.Status delivered = (RecordingListener.Status) flow.get(1);
        RecordingListener.Status read = (RecordingListener.Status) flow.get(2);
        assertThat(sent.messageId()).isEqualTo(7L);
        assertThat(delivered.messageId()).isEqualTo(7L);
        assertThat(delivered.recipient()).isEqualTo(USER);
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.error()).isNull();
        assertThat(read.messageId()).isEqualTo(7L);
        assertThat(read.status()).isEqualTo(DeliveryStatus.READ);
        assertThat(read.seq()).isGreaterThan(delivered.seq());

        assertThat(network.received(USER)).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(7L);
            assertThat(m.networkMessageId()).isEqualTo(sent.networkMessageId());
            assertThat(m.from()).isEqualTo(NUMBER);
            assertThat(m.type()).isEqualTo("text");
            assertThat(m.payload()).isEqualTo("{\"body\":\"hello\"}");
        });
        await().untilAsserted(() -> {
            SimStats stats = network.stats();
            assertThat(stats.get(Counter.RECEIVED)).isEqualTo(1);
            assertThat(stats.get(Counter.SENT_ACKS)).isEqualTo(1);
            assertThat(stats.get(NUMBER, Counter.DELIVERED)).isEqualTo(1);
            assertThat(stats.get(NUMBER, Counter.READ)).isEqualTo(1);
            assertThat(stats.get(NUMBER, Counter.STATUSES_HANDED)).isEqualTo(2);
        });
    }

    @Test
    void aReplyArrivesAsInboundOnTheShardOfTheUser() throws Exception {
        SimNetwork network = network(fast().withReplyProbability(1));
        int shardCount = 4;
        List<RecordingListener> listeners = new ArrayList<>();
        List<SimLink> links = new ArrayList<>();
        for (int shard = 0; shard < shardCount; shard++) {
            RecordingListener listener = new RecordingListener();
            SimLink link = link(network, shard, shardCount, 1, 100, listener);
            listener.autoAck = link;
            listeners.add(listener);
            links.add(link);
        }
        await().until(() -> links.stream().allMatch(SimLink::connected));
        int userShard = Shards.of(USER, shardCount);
        String body = "a long message body that is clearly more than forty characters";

        links.get(userShard).send(1L, USER, "text", "{\"body\":\"" + body + "\"}");

        RecordingListener owner = listeners.get(userShard);
        await().until(() -> owner.of(RecordingListener.Inbound.class).size() == 1);
        RecordingListener.Inbound reply = owner.of(RecordingListener.Inbound.class).getFirst();
        assertThat(reply.message().from()).isEqualTo(USER);
        assertThat(reply.message().type()).isEqualTo("text");
        assertThat(reply.message().payload()).isEqualTo("{\"body\":\"re: " + body.substring(0, 40) + "\"}");
        assertThat(reply.message().networkId()).isNotBlank();
        assertThat(reply.message().profileName()).isNotBlank();
        await().until(() -> network.stats().get(Counter.REPLIES) == 1);
        for (int shard = 0; shard < shardCount; shard++) {
            if (shard != userShard) {
                assertThat(listeners.get(shard).of(RecordingListener.Inbound.class)).isEmpty();
            }
        }
    }

    @Test
    void aRecipientThatIsNotE164IsRejected() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 100, listener);

        link.send(5L, "15551234567", "text", "{\"body\":\"x\"}");
        link.send(6L, "+1234567", "text", "{\"body\":\"x\"}");

        await().until(() -> listener.of(RecordingListener.Rejected.class).size() == 2);
        assertThat(listener.of(RecordingListener.Rejected.class))
                .extracting(RecordingListener.Rejected::messageId, RecordingListener.Rejected::code)
                .containsExactly(tuple(5L, "invalid_recipient"),
                        tuple(6L, "invalid_recipient"));
        assertThat(network.stats().get(Counter.RECEIVED)).isEqualTo(2);
        assertThat(listener.of(RecordingListener.Sent.class)).isEmpty();
    }

    @Test
    void aMessageIdSentTwiceCountsAsADuplicateAndReachesTheUserOnce() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 100, listener);
        listener.autoAck = link;

        link.send(9L, USER, "text", "{\"body\":\"once\"}");
        link.send(9L, USER, "text", "{\"body\":\"once\"}");

        await().until(() -> listener.of(RecordingListener.Sent.class).size() == 2);
        await().until(() -> listener.of(RecordingListener.Status.class).size() == 2);
        Thread.sleep(100);
        SimStats stats = network.stats();
        assertThat(stats.get(NUMBER, Counter.RECEIVED)).isEqualTo(2);
        assertThat(stats.get(NUMBER, Counter.DUPLICATES)).isEqualTo(1);
        assertThat(stats.get(NUMBER, Counter.DELIVERED)).isEqualTo(1);
        assertThat(network.received(USER)).hasSize(1);
        assertThat(listener.of(RecordingListener.Sent.class))
                .extracting(RecordingListener.Sent::networkMessageId).containsOnly(
                        listener.of(RecordingListener.Sent.class).getFirst().networkMessageId());
    }

    @Test
    void anUnreachableUserProducesAFailedStatus() throws Exception {
        SimNetwork network = network(fast().withFailProbability(1));
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 100, listener);
        listener.autoAck = link;

        link.send(3L, USER, "text", "{\"body\":\"hi\"}");

        await().until(() -> listener.of(RecordingListener.Status.class).size() == 1);
        RecordingListener.Status status = listener.of(RecordingListener.Status.class).getFirst();
        assertThat(status.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(status.error()).isEqualTo("user_unreachable");
        assertThat(network.stats().get(Counter.FAILED)).isEqualTo(1);
        assertThat(network.received(USER)).isEmpty();
    }

    @Test
    void generatedInboundComesFromPopulationUsersOnTheirShardAndStopsAtRateZero() throws Exception {
        SimNetwork network = network(fast().withInboundRatePerNumber(200));
        int shardCount = 2;
        List<RecordingListener> listeners = new ArrayList<>();
        for (int shard = 0; shard < shardCount; shard++) {
            RecordingListener listener = new RecordingListener();
            listener.autoAck = link(network, shard, shardCount, 1, 1_000, listener);
            listeners.add(listener);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> listeners.stream()
                .allMatch(l -> l.of(RecordingListener.Inbound.class).size() >= 20));
        network.setInboundRate(0);
        for (int shard = 0; shard < shardCount; shard++) {
            int s = shard;
            assertThat(listeners.get(shard).of(RecordingListener.Inbound.class)).allSatisfy(in -> {
                assertThat(Shards.of(in.message().from(), shardCount)).isEqualTo(s);
                assertThat(network.users()).contains(in.message().from());
            });
        }
        Thread.sleep(50);
        long generated = network.stats().get(Counter.GENERATED);
        Thread.sleep(200);
        assertThat(network.stats().get(Counter.GENERATED)).isEqualTo(generated);
        await().until(() -> network.stats().get(Counter.HANDED) == generated);
    }
}
