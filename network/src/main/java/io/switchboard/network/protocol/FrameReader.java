package io.switchboard.network.protocol;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/** Reads length-prefixed frames from a (buffered) stream. Not thread-safe: one reader thread owns it. */
public final class FrameReader {
    private final DataInputStream in;

    public FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Blocks for the next frame; EOFException at end of stream. */
    public Frame read() throws IOException {
        int length = in.readInt();
        if (length < 1 || length > FrameCodec.MAX_FRAME_BYTES) {
            throw new ProtocolException("bad frame length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        // Decoding from the exact body keeps the stream aligned even if a frame carries trailing bytes.
        return FrameCodec.decode(new DataInputStream(new ByteArrayInputStream(body)));
    }
}
