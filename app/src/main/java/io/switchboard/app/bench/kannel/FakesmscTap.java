package io.switchboard.app.bench.kannel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Reads fakesmsc's output (its log, on stderr merged into stdout) as it is written and counts the messages that
 * reached it: fakesmsc logs one {@code DEBUG: Got message N: <from to text body>} line per message bearerbox delivers
 * over the fake link. Bodies of the form {@code r <micros>} (the chat webhook's replies, stamped with
 * {@link System#nanoTime()} / 1000 in this JVM) also give webhook -> carrier delays.
 */
final class FakesmscTap implements AutoCloseable {
    private static final String GOT = "Got message ";
    private static final String STAMP = " text r ";

    private final InputStream in;
    private final Thread reader;
    private final AtomicLong received = new AtomicLong();
    /** Webhook answered -> reply reached fakesmsc, in microseconds; recorded only while {@link #measuring}. */
    final Recorder replyMicros = new Recorder(3);
    volatile boolean measuring;
    private final Deque<String> tail = new ArrayDeque<>();

    FakesmscTap(InputStream in) {
        this.in = in;
        this.reader = Thread.ofPlatform().daemon().name("fakesmsc-tap").start(this::read);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16)) {
            String line;
            while ((line = lines.readLine()) != null) {
                int at = line.indexOf(GOT);
                if (at >= 0) {
                    received.incrementAndGet();
                    if (measuring) stamp(line, at);
                } else {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) tail.removeFirst();
                    }
                }
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    private void stamp(String line, int from) {
        int at = line.indexOf(STAMP, from);
        int end = line.lastIndexOf('>');
        if (at < 0 || end < at) return;
        try {
            long sent = Long.parseLong(line.substring(at + STAMP.length(), end).trim());
            long delay = System.nanoTime() / 1000 - sent;
            if (delay >= 0) replyMicros.recordValue(delay);
        } catch (NumberFormatException ignored) {
            // not one of ours
        }
    }

    /** Messages fakesmsc has received so far. */
    long received() {
        return received.get();
    }

    /** The last lines fakesmsc wrote that were not received messages (start-up, errors). */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // best effort
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
