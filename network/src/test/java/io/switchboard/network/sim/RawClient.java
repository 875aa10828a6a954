package io.switchboard.network.sim;

import io.switchboard.network.protocol.Frame;
import io.switchboard.network.protocol.FrameReader;
import io.switchboard.network.protocol.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Speaks the protocol frame by frame, to test what {@code SimLink} never does (e.g. sending after FENCED). */
final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final FrameReader in;
    private final FrameWriter out;

    RawClient(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        in = new FrameReader(new BufferedInputStream(socket.getInputStream()));
        out = new FrameWriter(new BufferedOutputStream(socket.getOutputStream()));
    }

    Frame login(String number, int shard, int shardCount, long epoch, int window) throws IOException {
        send(new Frame.Login(number, shard, shardCount, epoch, window, true));
        return read();
    }

    void send(Frame frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    Frame read() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
