package io.switchboard.engine.outbox;

import io.switchboard.store.Priority;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * A (number, shard)'s outgoing queue: strict priority between levels, FIFO within a level. Since a recipient
 * always maps to one shard and FIFO holds per level, a user's messages of one priority go out in order.
 *
 * <p>Not thread-safe: its shard worker guards it with its own lock.
 */
public final class Outbox {
    private final ArrayDeque<OutboxEntry>[] levels;
    private int size;

    @SuppressWarnings("unchecked")
    public Outbox() {
        levels = new ArrayDeque[Priority.values().length];
        for (int i = 0; i < levels.length; i++) levels[i] = new ArrayDeque<>();
    }

    public void add(OutboxEntry entry) {
        levels[entry.priority().rank()].addLast(entry);
        size++;
    }

    /** Puts entries back at the head of their levels, keeping their order (messages a lost connection had taken). */
    public void returnToFront(Collection<OutboxEntry> entriesInOrder) {
        OutboxEntry[] entries = entriesInOrder.toArray(OutboxEntry[]::new);
        for (int i = entries.length - 1; i >= 0; i--) {
            levels[entries[i].priority().rank()].addFirst(entries[i]);
            size++;
        }
    }

    /** The next entry to send, or null when empty. */
    public OutboxEntry poll() {
        for (ArrayDeque<OutboxEntry> level : levels) {
            OutboxEntry entry = level.pollFirst();
            if (entry != null) {
                size--;
                return entry;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Depth of each priority level, indexed by {@link Priority#rank()}. */
    public int[] depths() {
        int[] depths = new int[levels.length];
        for (int i = 0; i < depths.length; i++) depths[i] = levels[i].size();
        return depths;
    }
}
