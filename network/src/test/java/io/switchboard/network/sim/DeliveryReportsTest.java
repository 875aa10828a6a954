package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.LinkTarget;
import io.switchboard.network.SimLink;
import org.junit.jupiter.api.Test;

/** A link that logs in without delivery reports gets read and failed reports but never "delivered". */
class DeliveryReportsTest extends SimTestSupport {
    private static final String USER = "+15551234567";

    private final RecordingListener listener = new RecordingListener();

    /** A link of {@link #listener}, which acknowledges every item, logged in without delivery reports. */
    private SimLink linkWithoutReports(SimNetwork network) {
        SimLink link = link(new LinkTarget("127.0.0.1", network.port(), NUMBER, 0, 1, 1, 100, false), listener);
        listener.autoAck = link;
        await().until(link::connected);
        return link;
    }

    private void awaitStatuses(int count) {
        await().until(() -> listener.of(RecordingListener.Status.class).size() == count);
    }

    @Test
    void withoutDeliveryReportsAMessageReachesItsUserAndIsReadButNoDeliveredReportIsMade() throws Exception {
        SimNetwork network = network(fast());
        SimLink link = linkWithoutReports(network);

        link.send(1L, USER, "text", "{\"body\":\"no receipt\"}");

        awaitStatuses(1);
        Thread.sleep(100); // a delivered report, were one made, would be here by now
        assertThat(listener.of(RecordingListener.Status.class)).extracting(RecordingListener.Status::status)
                .containsExactly(DeliveryStatus.READ);
        assertThat(network.received(USER)).extracting(UserMessage::messageId).containsExactly(1L);
        SimStats stats = network.stats();
        assertThat(stats.get(NUMBER, Counter.DELIVERED)).as("reached the user: %s", stats).isEqualTo(1);
        assertThat(stats.get(NUMBER, Counter.DELIVERY_REPORTS)).as("delivered reports: %s", stats).isZero();
        assertThat(stats.get(NUMBER, Counter.READ)).isEqualTo(1);
        assertThat(stats.get(NUMBER, Counter.STATUSES_HANDED)).isEqualTo(1);
    }

    @Test
    void withoutDeliveryReportsAFailureIsStillReported() throws Exception {
        SimLink link = linkWithoutReports(network(fast().withFailProbability(1)));

        link.send(2L, USER, "text", "{\"body\":\"unreachable\"}");

        awaitStatuses(1);
        assertThat(listener.of(RecordingListener.Status.class).getFirst().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void aReloginTurnsDeliveryReportsOnForWhatIsSentAfterItAndAResendIsNotDeliveredTwice() throws Exception {
        SimNetwork network = network(fast());
        SimLink link = linkWithoutReports(network);
        link.send(1L, USER, "text", "{\"body\":\"before\"}");
        awaitStatuses(1);

        link.relogin(true);

        await().until(() -> listener.of(RecordingListener.Connected.class).size() == 2);
        assertThat(listener.of(RecordingListener.Disconnected.class)).singleElement()
                .extracting(RecordingListener.Disconnected::reason).asString().contains("logging in again");
        assertThat(listener.of(RecordingListener.Fenced.class)).isEmpty();
        link.send(1L, USER, "text", "{\"body\":\"before\"}"); // what a node re-sends when it missed the SENT
        link.send(3L, USER, "text", "{\"body\":\"after\"}");

        awaitStatuses(3);
        Thread.sleep(100);
        assertThat(listener.of(RecordingListener.Status.class))
                .extracting(RecordingListener.Status::messageId, RecordingListener.Status::status)
                .containsExactly(tuple(1L, DeliveryStatus.READ),
                        tuple(3L, DeliveryStatus.DELIVERED),
                        tuple(3L, DeliveryStatus.READ));
        assertThat(network.received(USER)).extracting(UserMessage::messageId).containsExactly(1L, 3L);
        SimStats stats = network.stats();
        assertThat(stats.get(NUMBER, Counter.LOGINS)).as("%s", stats).isEqualTo(2);
        assertThat(stats.get(NUMBER, Counter.DUPLICATES)).as("%s", stats).isEqualTo(1);
        assertThat(stats.get(NUMBER, Counter.DELIVERY_REPORTS)).as("%s", stats).isEqualTo(1);
    }
}
