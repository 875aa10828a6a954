package io.switchboard.network.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.net.ProtocolException;

/** Field encoding of frames (everything after the length prefix). Stateless. */
public final class FrameCodec {
    /** Upper bound on one frame so a corrupt length cannot make a reader allocate gigabytes. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** {@link DataOutput#writeUTF} limit. */
    public static final int MAX_STRING_BYTES = 65_535;

    private FrameCodec() {}

    public static void encode(Frame frame, DataOutput out) throws IOException {
        out.writeByte(frame.type());
        switch (frame) {
            case Frame.Login f -> {
                out.writeUTF(f.number());
                out.writeInt(f.shard());
                out.writeInt(f.shardCount());
                out.writeLong(f.epoch());
                out.writeInt(f.window());
                out.writeBoolean(f.deliveryReports());
            }
            case Frame.LoginOk f -> { }
            case Frame.LoginFailed f -> out.writeUTF(f.reason());
            case Frame.Ping f -> out.writeLong(f.nanos());
            case Frame.Pong f -> out.writeLong(f.nanos());
            case Frame.Send f -> {
                out.writeLong(f.id());
                out.writeUTF(f.to());
                out.writeUTF(f.messageType());
                out.writeUTF(f.payload());
                out.writeUTF(f.context());
            }
            case Frame.Sent f -> {
                out.writeLong(f.id());
                out.writeUTF(f.networkMessageId());
                out.writeLong(f.atMillis());
            }
            case Frame.SendRejected f -> {
                out.writeLong(f.id());
                out.writeUTF(f.code());
                out.writeUTF(f.reason());
            }
            case Frame.Status f -> {
                out.writeLong(f.seq());
                out.writeLong(f.id());
                out.writeUTF(f.recipient());
                out.writeByte(f.status());
                out.writeLong(f.atMillis());
                out.writeUTF(f.error());
                out.writeUTF(f.group());
                out.writeUTF(f.details());
            }
            case Frame.Group f -> {
                out.writeLong(f.requestId());
                out.writeByte(f.op());
                out.writeUTF(f.groupId());
                writeOptional(out, f.subject());
                writeOptional(out, f.description());
                writeList(out, f.users());
            }
            case Frame.GroupState f -> {
                out.writeLong(f.requestId());
                out.writeUTF(f.error());
                out.writeUTF(f.reason());
                out.writeUTF(f.groupId());
                out.writeUTF(f.subject());
                out.writeUTF(f.description());
                writeList(out, f.members());
                writeList(out, f.admins());
                out.writeUTF(f.invite());
            }
            case Frame.Inbound f -> {
                out.writeLong(f.seq());
                out.writeUTF(f.networkId());
                out.writeUTF(f.from());
                out.writeUTF(f.profileName());
                out.writeUTF(f.messageType());
                out.writeUTF(f.payload());
                out.writeLong(f.atMillis());
                out.writeUTF(f.context());
            }
            case Frame.MarkRead f -> {
                out.writeUTF(f.networkId());
                out.writeBoolean(f.typing());
            }
            case Frame.Ack f -> out.writeLong(f.seq());
            case Frame.Fenced f -> out.writeUTF(f.reason());
        }
    }

    public static Frame decode(DataInput in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case Frame.LOGIN -> new Frame.Login(in.readUTF(), in.readInt(), in.readInt(), in.readLong(), in.readInt(),
                    in.readBoolean());
            case Frame.LOGIN_OK -> new Frame.LoginOk();
            case Frame.LOGIN_FAILED -> new Frame.LoginFailed(in.readUTF());
            case Frame.PING -> new Frame.Ping(in.readLong());
            case Frame.PONG -> new Frame.Pong(in.readLong());
            case Frame.SEND -> new Frame.Send(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            case Frame.SENT -> new Frame.Sent(in.readLong(), in.readUTF(), in.readLong());
            case Frame.SEND_REJECTED -> new Frame.SendRejected(in.readLong(), in.readUTF(), in.readUTF());
            case Frame.STATUS -> new Frame.Status(in.readLong(), in.readLong(), in.readUTF(), in.readByte(), in.readLong(),
                    in.readUTF(), in.readUTF(), in.readUTF());
            case Frame.GROUP -> new Frame.Group(in.readLong(), in.readByte(), in.readUTF(), readOptional(in),
                    readOptional(in), readList(in));
            case Frame.GROUP_STATE -> new Frame.GroupState(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(),
                    in.readUTF(), in.readUTF(), readList(in), readList(in), in.readUTF());
            case Frame.INBOUND -> new Frame.Inbound(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    in.readUTF(), in.readLong(), in.readUTF());
            case Frame.MARK_READ -> new Frame.MarkRead(in.readUTF(), in.readBoolean());
            case Frame.ACK -> new Frame.Ack(in.readLong());
            case Frame.FENCED -> new Frame.Fenced(in.readUTF());
            default -> throw new ProtocolException("unknown frame type " + type);
        };
    }

    /** A string that may be null: a presence flag, then the string if present. */
    private static void writeOptional(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String readOptional(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A list of strings: its size, then each string. */
    private static void writeList(DataOutput out, java.util.List<String> list) throws IOException {
        out.writeShort(list.size());
        for (String s : list) out.writeUTF(s);
    }

    private static java.util.List<String> readList(DataInput in) throws IOException {
        int size = in.readUnsignedShort();
        java.util.List<String> list = new java.util.ArrayList<>(size);
        for (int i = 0; i < size; i++) list.add(in.readUTF());
        return list;
    }

    /** Bytes {@link DataOutput#writeUTF} needs for {@code s} (modified UTF-8). */
    public static int utfLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += (c >= 1 && c <= 0x7F) ? 1 : (c <= 0x7FF ? 2 : 3);
        }
        return n;
    }
}
