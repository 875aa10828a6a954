package io.switchboard.network.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The wire codec's cost per frame: {@link FrameCodec} encoding a {@link Frame.Send} (200-char JSON payload) and a
 * {@link Frame.Status} into a reused byte buffer, as {@link FrameWriter} does, and decoding them from one, as
 * {@link FrameReader} does.
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl network -am verify -DskipTests -Djmh.args=FrameCodecBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {
    private static final String PAYLOAD = "{\"body\":\"" + "Your order #48213 has shipped and will arrive on Thursday. "
            .repeat(4).substring(0, 200 - 11) + "\"}";

    private final Frame.Send send = new Frame.Send(7_301_234_567_890L, "15551234567", "text", PAYLOAD);
    private final Frame.Status status = new Frame.Status(1_234_567L, 7_301_234_567_890L, "15551234567",
            Frame.STATUS_DELIVERED, 1_735_689_600_000L, "");

    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(512);
    private final DataOutputStream scratchOut = new DataOutputStream(scratch);

    private ByteArrayInputStream sendBytes;
    private DataInputStream sendIn;
    private ByteArrayInputStream statusBytes;
    private DataInputStream statusIn;

    @Setup
    public void setUp() throws IOException {
        sendBytes = new ByteArrayInputStream(encoded(send));
        sendIn = new DataInputStream(sendBytes);
        statusBytes = new ByteArrayInputStream(encoded(status));
        statusIn = new DataInputStream(statusBytes);
        if (!decodeSend().equals(send) || !decodeStatus().equals(status)) {
            throw new IllegalStateException("frames do not survive a round trip");
        }
    }

    private static byte[] encoded(Frame frame) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameCodec.encode(frame, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Benchmark
    public int encodeSend() throws IOException {
        scratch.reset();
        FrameCodec.encode(send, scratchOut);
        return scratch.size();
    }

    @Benchmark
    public Frame decodeSend() throws IOException {
        sendBytes.reset();
        return FrameCodec.decode(sendIn);
    }

    @Benchmark
    public int encodeStatus() throws IOException {
        scratch.reset();
        FrameCodec.encode(status, scratchOut);
        return scratch.size();
    }

    @Benchmark
    public Frame decodeStatus() throws IOException {
        statusBytes.reset();
        return FrameCodec.decode(statusIn);
    }
}
