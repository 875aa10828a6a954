package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.network.LinkTarget;
import io.switchboard.network.SimLink;
import io.switchboard.network.protocol.Frame;
import io.switchboard.network.protocol.FrameReader;
import io.switchboard.network.protocol.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LinkReconnectTest extends SimTestSupport {

    @Test
    void theLinkReconnectsAfterTheNetworkRestartsAndLeavesResendingToTheNode() throws Exception {
        SimNetwork first = SimNetwork.start(fast());
        int port = first.port();
        RecordingListener listener = new RecordingListener();
        SimLink link = link(port, 0, 1, 1, 10, listener);
        await().until(link::connected);

        first.close();
        await().until(() -> listener.of(RecordingListener.Disconnected.class).size() == 1);
        assertThat(link.connected()).isFalse();
        link.send(1L, "+15551234567", "text", "{\"body\":\"queued while down\"}");

        SimNetwork second = network(fast().withPort(port));
        await().atMost(Duration.ofSeconds(10)).until(link::connected);
        assertThat(listener.of(RecordingListener.Connected.class)).hasSize(2);
        // The node re-sends every unacknowledged message from onConnected; a stale copy would be a duplicate.
        link.send(2L, "+15551234567", "text", "{\"body\":\"after the reconnect\"}");
        await().until(() -> listener.of(RecordingListener.Sent.class).size() == 1);
        assertThat(second.stats().get(Counter.RECEIVED)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(second.received("+15551234567")).extracting(UserMessage::messageId)
                .containsExactly(2L));
    }

    @Test
    void aNetworkThatFallsSilentIsDroppedAfterThreeHeartbeatsAndRetried() throws Exception {
        AtomicInteger logins = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        FrameReader in = new FrameReader(new BufferedInputStream(s.getInputStream()));
                        FrameWriter out = new FrameWriter(new BufferedOutputStream(s.getOutputStream()));
                        in.read();
                        logins.incrementAndGet();
                        out.write(new Frame.LoginOk());
                        out.flush();
                        // then never answer a PING
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            RecordingListener listener = new RecordingListener();
            try (SimLink link = SimLink.open(new LinkTarget("127.0.0.1", silent.getLocalPort(), NUMBER, 0, 1, 1, 10, true),
                    listener, Duration.ofMillis(100))) {
                await().until(link::connected);
                long start = System.nanoTime();
                await().atMost(Duration.ofSeconds(3))
                        .until(() -> listener.of(RecordingListener.Disconnected.class).size() == 1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(200));
                await().atMost(Duration.ofSeconds(3)).until(() -> logins.get() >= 2);
            }
        }
    }
}
