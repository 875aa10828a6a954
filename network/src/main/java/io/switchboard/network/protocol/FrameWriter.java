package io.switchboard.network.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes length-prefixed frames to a (buffered) stream. Not thread-safe: one writer thread owns it. */
public final class FrameWriter {
    private final DataOutputStream out;
    // Frames are encoded here first because the length prefix must precede the fields.
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(256);
    private final DataOutputStream scratchOut = new DataOutputStream(scratch);

    public FrameWriter(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    public void write(Frame frame) throws IOException {
        scratch.reset();
        FrameCodec.encode(frame, scratchOut);
        out.writeInt(scratch.size());
        scratch.writeTo(out);
    }

    public void flush() throws IOException {
        out.flush();
    }
}
