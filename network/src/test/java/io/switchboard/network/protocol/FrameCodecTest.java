package io.switchboard.network.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void everyFrameTypeSurvivesARoundTripInOrder() throws IOException {
        List<Frame> frames = List.of(
                new Frame.Login("+919800000001", 2, 4, 7L, 100, true),
                new Frame.Login("+919800000001", 0, 1, 8L, 10, false),
                new Frame.LoginOk(),
                new Frame.LoginFailed("stale epoch"),
                new Frame.Ping(123L),
                new Frame.Pong(456L),
                new Frame.Send(42L, "+15550000001", "text", "{\"body\":\"héllo ✓\"}"),
                new Frame.Send(44L, "+15550000001", "reaction", "{\"message_id\":\"wamid.9\",\"emoji\":\"👍\"}",
                        "0ABCDEFGHJKMN"),
                new Frame.Sent(42L, "wamid.1", 1000L),
                new Frame.SendRejected(43L, "invalid_recipient", "bad"),
                new Frame.Status(9L, 42L, "+15550000001", Frame.STATUS_READ, 2000L, ""),
                new Frame.Status(11L, 45L, "+15550000002", Frame.STATUS_DELIVERED, 2001L, "", "12036300000001@g.us", ""),
                new Frame.Status(12L, 46L, "+15550000003", Frame.STATUS_FAILED, 2002L, "user_unreachable", "",
                        "{\"errors\":[{\"code\":131026}]}"),
                new Frame.Group(5L, (byte) 1, "", "Füßball ⚽", null, List.of("+15550000001", "+15550000002")),
                new Frame.Group(6L, (byte) 2, "12036300000001@g.us", null, "", List.of()),
                new Frame.GroupState(5L, "", "", "12036300000001@g.us", "Füßball ⚽", "", List.of("+15550000001"),
                        List.of(), "https://chat.whatsapp.com/abc"),
                new Frame.GroupState(6L, "unknown_group", "no such group", "x", "", "", List.of(), List.of(), ""),
                new Frame.Inbound(10L, "wamid.in.1.15550000001", "+15550000001", "User 0001", "text", "{\"body\":\"hi\"}", 3000L),
                new Frame.Inbound(13L, "wamid.in.2.15550000001", "+15550000001", "User 0001", "text", "{\"body\":\"yes\"}",
                        3001L, "wamid.15550000009.42"),
                new Frame.MarkRead("wamid.in.1.15550000001", true),
                new Frame.MarkRead("wamid.in.2.15550000001", false),
                new Frame.Ack(10L),
                new Frame.Fenced("superseded"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        for (Frame f : frames) {
            writer.write(f);
        }
        writer.flush();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
        for (Frame expected : frames) {
            assertThat(reader.read()).isEqualTo(expected);
        }
    }

    @Test
    void theWireFormatIsALengthPrefixThenTheTypeByte() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameWriter(bytes).write(new Frame.Ack(1L));
        assertThat(bytes.toByteArray()).containsExactly(0, 0, 0, 9, Frame.ACK, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void anUnknownTypeOrAnAbsurdLengthIsAProtocolError() {
        byte[] unknownType = {0, 0, 0, 1, 99};
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(unknownType)).read())
                .isInstanceOf(ProtocolException.class);
        byte[] hugeLength = {0x7f, 0, 0, 0, 1};
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(hugeLength)).read())
                .isInstanceOf(ProtocolException.class);
    }
}
