package io.switchboard.engine.outbox;

import java.util.NoSuchElementException;

/**
 * A growable FIFO of primitive longs (a ring buffer), so a queued message costs the outbox 8 bytes rather than a
 * boxed Long and a deque node: the difference between holding millions of queued ids in a small heap or not.
 * Not thread-safe.
 */
final class LongRing {
    private long[] items = new long[16];
    private int head;
    private int size;

    void addLast(long value) {
        grow();
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    void addFirst(long value) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = value;
        size++;
    }

    long pollFirst() {
        if (size == 0) throw new NoSuchElementException("empty");
        long value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    /** The i-th value from the head (0 is the head). */
    long get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void grow() {
        if (size < items.length) return;
        long[] bigger = new long[items.length * 2];
        for (int i = 0; i < size; i++) bigger[i] = get(i);
        items = bigger;
        head = 0;
    }
}
