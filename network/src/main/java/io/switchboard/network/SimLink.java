package io.switchboard.network;

import io.switchboard.network.groups.GroupCommand;
import io.switchboard.network.groups.GroupInfo;
import io.switchboard.network.groups.GroupRefused;
import io.switchboard.network.protocol.Frame;
import io.switchboard.network.protocol.FrameCodec;
import io.switchboard.network.protocol.FrameReader;
import io.switchboard.network.protocol.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShardLink} over the Switchboard wire protocol. One background thread connects, logs in and reads; a
 * second one per connection writes. ACKs queue in memory across reconnects and go out after the next login; SENDs
 * that had not gone out when a connection broke are dropped at the next login, because the node re-sends every
 * message that never got SENT from {@link ShardLinkListener#onConnected} (the network redelivers unacked items).
 * SENDs queued before the first login go out with it. {@link #relogin} changes the target and drops the connection;
 * the reader then logs in again with the new target without waiting out the backoff.
 */
public final class SimLink implements ShardLink {
    private static final Logger log = LoggerFactory.getLogger(SimLink.class);
    private static final long MIN_BACKOFF_MS = 100, MAX_BACKOFF_MS = 5_000;
    private static final int MAX_BATCH = 4_096;

    /** Replaced by {@link #relogin}; the reader reads it once per connection. */
    private volatile LinkTarget target;
    private final ShardLinkListener listener;
    private final long heartbeatNanos;
    private final LinkedBlockingQueue<Frame> outbox = new LinkedBlockingQueue<>();
    private final Thread runner;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Socket socket;
    /** Set by {@link #relogin} before it drops the connection, so the reader reconnects at once. */
    private final AtomicBoolean reloginAsked = new AtomicBoolean();
    /** Group operations sent on the current connection and not answered yet, by request id. */
    private final ConcurrentHashMap<Long, CompletableFuture<GroupInfo>> groupCalls = new ConcurrentHashMap<>();
    private final AtomicLong groupRequests = new AtomicLong();
    /** Set after the first login; owned by the reader thread. */
    private boolean reconnect;

    private SimLink(LinkTarget target, ShardLinkListener listener, Duration heartbeat) {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive");
        }
        this.target = target;
        this.listener = listener;
        this.heartbeatNanos = heartbeat.toNanos();
        this.runner = Thread.ofPlatform().daemon().name(name("reader")).unstarted(this::run);
    }

    /** Returns at once; connects in the background and keeps reconnecting until fenced or closed. */
    public static SimLink open(LinkTarget target, ShardLinkListener listener, Duration heartbeat) {
        SimLink link = new SimLink(target, listener, heartbeat);
        link.runner.start();
        return link;
    }

    @Override
    public void send(long messageId, String to, String type, String payload, String context) {
        int bytes = FrameCodec.utfLength(payload);
        if (bytes > FrameCodec.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("payload too large: " + bytes + " bytes");
        }
        outbox.add(new Frame.Send(messageId, to, type, payload, context == null ? "" : context));
    }

    @Override
    public void markRead(String networkId, boolean typing) {
        outbox.add(new Frame.MarkRead(networkId, typing));
    }

    @Override
    public CompletableFuture<GroupInfo> group(GroupCommand command) {
        CompletableFuture<GroupInfo> answer = new CompletableFuture<>();
        if (!connected) {
            answer.completeExceptionally(notConnected());
            return answer;
        }
        long id = groupRequests.incrementAndGet();
        groupCalls.put(id, answer);
        outbox.add(new Frame.Group(id, command.op().code(), command.groupId(), command.subject(),
                command.description(), command.users()));
        // Went down meanwhile: the finally of the connection may have failed the calls before this one was in.
        if (!connected) failGroupCalls();
        return answer;
    }

    private static GroupRefused notConnected() {
        return new GroupRefused("not_connected", "the number's connection to the network is down; try again");
    }

    /** The connection is over: calls not answered on it never will be (the network may have applied them). */
    private void failGroupCalls() {
        for (Long id : List.copyOf(groupCalls.keySet())) {
            CompletableFuture<GroupInfo> call = groupCalls.remove(id);
            if (call != null) call.completeExceptionally(notConnected());
        }
    }

    private void answer(Frame.GroupState state) {
        CompletableFuture<GroupInfo> call = groupCalls.remove(state.requestId());
        if (call == null) return;
        if (!state.error().isEmpty()) call.completeExceptionally(new GroupRefused(state.error(), state.reason()));
        else call.complete(new GroupInfo(state.groupId(), state.subject(), state.description(), state.members(),
                state.admins(), state.invite()));
    }

    @Override
    public void ack(long seq) {
        outbox.add(new Frame.Ack(seq));
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void relogin(boolean deliveryReports) {
        target = target.withDeliveryReports(deliveryReports);
        reloginAsked.set(true);
        // Whichever socket this is, the reader reads the target after it set the socket: a connection that read the
        // old target is the one closed here, and the next one reads the new target.
        closeQuietly(socket);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        runner.interrupt();
    }

    private String name(String role) {
        return "link-" + target.number() + "-" + target.shard() + "-" + role;
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        while (!closed) {
            Outcome outcome = connectOnce();
            if (outcome.established()) {
                backoff = MIN_BACKOFF_MS;
            }
            if (outcome.terminal() || closed) {
                return;
            }
            boolean relogin = reloginAsked.getAndSet(false);
            if (outcome.established()) {
                listener.onDisconnected(relogin ? "logging in again (delivery reports "
                        + (target.deliveryReports() ? "on)" : "off)") : outcome.reason());
            } else {
                log.debug("{}: connect failed: {}", name("reader"), outcome.reason());
            }
            if (relogin) {
                continue;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private record Outcome(boolean established, boolean terminal, String reason) {}

    private Outcome connectOnce() {
        boolean established = false;
        Thread writer = null;
        try (Socket s = new Socket()) {
            socket = s;
            LinkTarget target = this.target; // after the socket is set: see relogin
            if (closed) {
                return new Outcome(false, true, "closed");
            }
            int deadMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(3 * heartbeatNanos));
            s.connect(new InetSocketAddress(target.host(), target.port()), Math.max(1_000, deadMillis));
            s.setTcpNoDelay(true);
            // No byte for 3 heartbeats means the connection is dead; the network answers every PING.
            s.setSoTimeout(deadMillis);
            FrameReader in = new FrameReader(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            FrameWriter out = new FrameWriter(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
            out.write(new Frame.Login(target.number(), target.shard(), target.shardCount(), target.epoch(),
                    target.window(), target.deliveryReports()));
            out.flush();
            switch (in.read()) {
                case Frame.LoginOk ok -> { }
                case Frame.LoginFailed f -> {
                    listener.onFenced("login failed: " + f.reason());
                    return new Outcome(false, true, f.reason());
                }
                case Frame.Fenced f -> {
                    listener.onFenced(f.reason());
                    return new Outcome(false, true, f.reason());
                }
                case Frame other -> throw new ProtocolException("expected LOGIN_OK, got " + other);
            }
            established = true;
            // The listener re-sends the SENDs, in order; group calls from before were failed when the connection ended.
            if (reconnect) outbox.removeIf(frame -> frame instanceof Frame.Send || frame instanceof Frame.Group);
            reconnect = true;
            connected = true;
            writer = Thread.ofVirtual().name(name("writer")).start(() -> writeLoop(s, out));
            listener.onConnected();
            String fenced = readLoop(in);
            if (fenced != null) {
                connected = false;
                listener.onFenced(fenced);
                return new Outcome(true, true, fenced);
            }
            return new Outcome(true, false, "closed by network");
        } catch (IOException e) {
            return new Outcome(established, closed, closed ? "closed" : String.valueOf(e));
        } catch (RuntimeException e) {
            // A throwing listener must not kill the link: drop this connection and let redelivery repeat the item.
            log.warn("{}: listener failed, reconnecting", name("reader"), e);
            return new Outcome(established, closed, String.valueOf(e));
        } finally {
            connected = false;
            failGroupCalls();
            if (writer != null) {
                writer.interrupt();
                joinQuietly(writer);
            }
        }
    }

    /** Dispatches frames until the stream ends; returns the reason if the network fenced us. */
    private String readLoop(FrameReader in) throws IOException {
        while (true) {
            switch (in.read()) {
                case Frame.Sent f -> listener.onSent(f.id(), f.networkMessageId(), f.atMillis());
                case Frame.SendRejected f -> listener.onSendRejected(f.id(), f.code(), f.reason());
                case Frame.Status f when !f.group().isEmpty() -> listener.onGroupStatus(f.seq(), f.id(), f.group(),
                        f.recipient(), status(f.status()), f.atMillis(), f.error().isEmpty() ? null : f.error());
                case Frame.Status f -> listener.onStatus(f.seq(), f.id(), f.recipient(), status(f.status()),
                        f.atMillis(), f.error().isEmpty() ? null : f.error(), f.details().isEmpty() ? null : f.details());
                case Frame.GroupState f -> answer(f);
                // The simulated users reply only to what the business sent them, so the business sent the context.
                case Frame.Inbound f -> listener.onInbound(f.seq(), new InboundMessage(f.networkId(), f.from(),
                        f.profileName(), f.messageType(), f.payload(), f.atMillis(), f.context().isEmpty() ? null
                        : new InboundMessage.Context(target.number().substring(1), f.context()), null));
                case Frame.Pong f -> { }
                case Frame.Fenced f -> {
                    return f.reason();
                }
                case Frame other -> throw new ProtocolException("unexpected frame " + other);
            }
        }
    }

    private static DeliveryStatus status(byte code) throws ProtocolException {
        return switch (code) {
            case Frame.STATUS_DELIVERED -> DeliveryStatus.DELIVERED;
            case Frame.STATUS_READ -> DeliveryStatus.READ;
            case Frame.STATUS_FAILED -> DeliveryStatus.FAILED;
            default -> throw new ProtocolException("unknown status " + code);
        };
    }

    /** Drains the outbox in batches, flushing whenever it runs dry; PINGs every heartbeat. */
    private void writeLoop(Socket s, FrameWriter out) {
        List<Frame> batch = new ArrayList<>();
        long nextPing = System.nanoTime() + heartbeatNanos;
        try {
            while (true) {
                long wait = nextPing - System.nanoTime();
                Frame first = wait > 0 ? outbox.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (first != null) {
                    batch.add(first);
                    outbox.drainTo(batch, MAX_BATCH);
                    for (Frame f : batch) {
                        out.write(f);
                    }
                    batch.clear();
                }
                long now = System.nanoTime();
                if (now - nextPing >= 0) {
                    out.write(new Frame.Ping(now));
                    nextPing = now + heartbeatNanos;
                }
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            // connection is over
        } catch (IOException e) {
            log.debug("{}: write failed: {}", name("writer"), e.toString());
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
