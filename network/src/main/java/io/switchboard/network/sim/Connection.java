package io.switchboard.network.sim;

import io.switchboard.network.protocol.Frame;
import io.switchboard.network.protocol.FrameReader;
import io.switchboard.network.protocol.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The network's side of one node connection: a reader and a writer virtual thread around one socket. */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_BATCH = 4_096;

    private final SimNetwork network;
    private final Socket socket;
    private final LinkedBlockingQueue<Frame> outbox = new LinkedBlockingQueue<>();
    private volatile boolean fenced;
    private volatile boolean closed;
    private volatile Thread writer;
    // Set once by the reader thread at login.
    private NumberState number;
    private int shard;
    private boolean deliveryReports;

    Connection(SimNetwork network, Socket socket) {
        this.network = network;
        this.socket = socket;
    }

    void start() {
        Thread.ofVirtual().name("sim-conn-reader-" + socket.getPort()).start(this::readLoop);
    }

    void enqueue(Frame frame) {
        if (!closed) {
            outbox.add(frame);
        }
    }

    /** Sends FENCED and half-closes; frames still arriving are counted as stale until the linger closes it. */
    void fence(String reason) {
        fenced = true;
        enqueue(new Frame.Fenced(reason));
        network.afterMillis(SimNetwork.FENCE_LINGER_MILLIS, this::close);
    }

    boolean alive() {
        return !closed && !fenced;
    }

    void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
        network.forget(this);
    }

    private void readLoop() {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, network.config().idleTimeout().toMillis()));
            FrameReader in = new FrameReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            FrameWriter out = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            if (!(in.read() instanceof Frame.Login login)) {
                log.debug("connection from {} did not start with LOGIN", socket.getRemoteSocketAddress());
                return;
            }
            String failure = network.login(this, login);
            if (failure != null) {
                out.write(new Frame.LoginFailed(failure));
                out.flush();
                return;
            }
            number = network.number(login.number());
            shard = login.shard();
            deliveryReports = login.deliveryReports();
            writer = Thread.ofVirtual().name("sim-conn-writer-" + socket.getPort()).start(() -> writeLoop(out));
            while (!closed) {
                Frame frame = in.read();
                if (fenced) {
                    number.count(Counter.STALE_FRAMES);
                    if (frame instanceof Frame.Send) number.count(Counter.STALE_SENDS);
                    continue;
                }
                switch (frame) {
                    case Frame.Ping p -> enqueue(new Frame.Pong(p.nanos()));
                    case Frame.Send s -> network.onSend(this, number, s, deliveryReports);
                    case Frame.Ack a -> number.ack(this, shard, a.seq());
                    case Frame.MarkRead m -> network.onMarkRead(number, m.networkId(), m.typing());
                    case Frame.Group g -> network.onGroup(this, number, g);
                    default -> {
                        log.debug("{}/{}: unexpected frame {}", login.number(), shard, frame);
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            log.debug("closing idle connection {}", socket.getRemoteSocketAddress());
        } catch (EOFException e) {
            // peer closed
        } catch (IOException e) {
            if (!closed) {
                log.debug("connection {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        } finally {
            if (number != null) {
                number.detach(this, shard);
            }
            if (!fenced) {
                close();
            }
        }
    }

    private void writeLoop(FrameWriter out) {
        List<Frame> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_BATCH);
                for (Frame f : batch) {
                    out.write(f);
                    if (f instanceof Frame.Fenced) {
                        out.flush();
                        socket.shutdownOutput();
                        return;
                    }
                }
                batch.clear();
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            close();
        }
    }
}
