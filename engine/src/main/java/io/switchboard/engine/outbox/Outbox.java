package io.switchboard.engine.outbox;

import io.switchboard.store.Priority;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A (number, shard)'s outgoing queue: strict priority between levels, FIFO within a level. Since a recipient
 * always maps to one shard and FIFO holds per level, a user's messages of one priority go out in order.
 *
 * <p>Memory: the order lives in rings of message ids (8 bytes a message); at most {@code loadedLimit} messages
 * also keep their recipient and body in memory. The rest are in the store, which has them anyway, and the
 * {@link Loader} brings them back a page at a time when they come up, so a backlog of millions needs memory for
 * their ids only.
 *
 * <p>A waiting message can be taken out of line ({@link #withdraw}, {@link #skip}): it is marked, and dropped when
 * its turn comes, so the rings never shift.
 *
 * <p>Not thread-safe: its shard worker guards it with its own lock (and so loads pages under that lock: a page is
 * one indexed query, far shorter than the gap between tokens at any budget that lets a backlog build up).
 */
public final class Outbox {
    /** Reads queued messages back from the store; a message that is gone (no longer queued) is left out. */
    @FunctionalInterface
    public interface Loader {
        List<OutboxEntry> load(List<Long> ids);
    }

    private static final int PAGE = 500;

    private final LongRing[] levels = new LongRing[Priority.values().length];
    private final Map<Long, OutboxEntry> loaded = new HashMap<>();
    /**
     * Ids still in a ring but taken out of line, with how many of their copies are (a message can be queued twice
     * around a shard takeover); {@code skippedPerLevel} counts them per level.
     */
    private final Map<Long, Integer> skipped = new HashMap<>();
    private final int[] skippedPerLevel = new int[Priority.values().length];
    private final Loader loader;
    private final int loadedLimit;

    /** An outbox that keeps every entry in memory. */
    public Outbox() {
        this(ids -> List.of(), Integer.MAX_VALUE);
    }

    public Outbox(Loader loader, int loadedLimit) {
        this.loader = loader;
        this.loadedLimit = loadedLimit;
        for (int i = 0; i < levels.length; i++) levels[i] = new LongRing();
    }

    public void add(OutboxEntry entry) {
        levels[entry.priority().rank()].addLast(entry.id());
        if (loaded.size() < loadedLimit) loaded.put(entry.id(), entry);
    }

    /** Queues a stored message by id alone; its body is loaded when it comes up. */
    public void addStored(long id, Priority priority) {
        levels[priority.rank()].addLast(id);
    }

    /** Puts entries back at the head of their levels, keeping their order (messages a lost connection had taken). */
    public void returnToFront(Collection<OutboxEntry> entriesInOrder) {
        OutboxEntry[] entries = entriesInOrder.toArray(OutboxEntry[]::new);
        for (int i = entries.length - 1; i >= 0; i--) {
            levels[entries[i].priority().rank()].addFirst(entries[i].id());
            loaded.put(entries[i].id(), entries[i]);
        }
    }

    /**
     * Takes a message out of line, every copy of it, if it is still waiting at its priority (not yet polled, nor
     * taken out already): answers whether it was. Looks through that level, so it costs time in proportion to its
     * depth.
     */
    public boolean withdraw(long id, Priority priority) {
        LongRing level = levels[priority.rank()];
        int copies = 0;
        for (int i = 0; i < level.size(); i++) if (level.get(i) == id) copies++;
        int already = skipped.getOrDefault(id, 0);
        if (copies <= already) return false;
        skipped.put(id, copies);
        skippedPerLevel[priority.rank()] += copies - already;
        loaded.remove(id);
        return true;
    }

    /**
     * Takes out of line one copy of a message the caller knows is waiting at this priority, without looking for it
     * (an expiry: a second copy, if any, is found expired when its turn comes).
     */
    public void skip(long id, Priority priority) {
        skipped.merge(id, 1, Integer::sum);
        skippedPerLevel[priority.rank()]++;
        loaded.remove(id);
    }

    /** The next entry to send, or null when empty. */
    public OutboxEntry poll() {
        for (int rank = 0; rank < levels.length; rank++) {
            LongRing level = levels[rank];
            while (!level.isEmpty()) {
                long id = level.pollFirst();
                if (!skipped.isEmpty() && skipped.containsKey(id)) {
                    skipped.computeIfPresent(id, (skippedId, copies) -> copies == 1 ? null : copies - 1);
                    skippedPerLevel[rank]--;
                    continue;
                }
                OutboxEntry entry = loaded.remove(id);
                if (entry == null) {
                    try {
                        entry = loadPage(level, id);
                    } catch (RuntimeException storeDown) { // it stays first in line for the next try
                        level.addFirst(id);
                        throw storeDown;
                    }
                }
                if (entry != null) return entry;
            }
        }
        return null;
    }

    /** Loads the message {@code id} and the next ones of its level not in memory yet, and answers the first. */
    private OutboxEntry loadPage(LongRing level, long id) {
        List<Long> ids = new ArrayList<>(PAGE);
        ids.add(id);
        for (int i = 0; i < level.size() && ids.size() < PAGE; i++) {
            long next = level.get(i);
            if (!loaded.containsKey(next) && !skipped.containsKey(next)) ids.add(next);
        }
        OutboxEntry first = null;
        for (OutboxEntry entry : loader.load(ids)) {
            if (entry.id() == id) first = entry;
            else loaded.put(entry.id(), entry);
        }
        return first;
    }

    public boolean isEmpty() {
        for (int i = 0; i < levels.length; i++) if (levels[i].size() > skippedPerLevel[i]) return false;
        return true;
    }

    public int size() {
        int size = 0;
        for (int depth : depths()) size += depth;
        return size;
    }

    /** Depth of each priority level (messages taken out of line not counted), indexed by {@link Priority#rank()}. */
    public int[] depths() {
        int[] depths = new int[levels.length];
        for (int i = 0; i < depths.length; i++) depths[i] = levels[i].size() - skippedPerLevel[i];
        return depths;
    }
}
