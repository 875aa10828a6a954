package io.switchboard.dispatcher;

import io.switchboard.store.Messages.OwedCount;
import io.switchboard.store.Messages.OwedSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The calls of one kind (Webhook or Event Webhook) owed to one project, of which at most {@code capacity} are held in
 * memory: the store has every one of them anyway. A source (a number's shard, or what a replay revived there) whose
 * owed calls are not all in memory is <em>behind</em>: what it stores next stays in the store too, and the pager
 * reads the source back a page at a time, in id order, as calls end and room frees up. So a tenant whose endpoint is
 * down for a day costs the node a window of calls, not the day's traffic, and so does a restart or a replay.
 *
 * <p>A source is behind from the moment its shard starts here (the store may owe calls from before) and whenever an
 * arrival finds the window full; it catches up when a page comes back short. An arrival while its source's page is
 * being read waits for that page, so that none falls between what the page saw and where it ends.
 *
 * <p>Threads: arrivals come from the store's writer as commits complete, pages from the dispatcher's pager, ends
 * from the calls' threads. One lock guards it all, and calls are handed on under it, so each source's calls reach
 * their endpoint in id order.
 */
final class OwedWindow<T> {
    static final int PAGE = 500;

    /** Reads a source's owed calls back from the store. */
    interface Reader<T> {
        /** Its owed calls with ids above {@code after}, oldest first, at most {@code limit}. */
        List<T> page(OwedSource source, long after, int limit);

        /** How many it owes, and the newest id among them. */
        OwedCount count(OwedSource source);
    }

    private final class Source {
        final OwedSource key;
        /** The newest id handed on (or read past) from this source. */
        long newest;
        /** The store owes calls of this source above {@code newest} that are not in memory. */
        boolean behind = true;
        /** How many of those, as far as known; -1 until counted. */
        long notInMemory = -1;
        /** The newest id the count took in: a call left in the store past it is one more. */
        long countedUpTo;
        /** Arrivals while a page is being read; null when none is. */
        List<T> arrivedWhileReading;
        /** Grows when the source is to be read from the start again: a page read before that is dropped. */
        int generation;

        Source(OwedSource key) {
            this.key = key;
        }

        void handOn(T call) {
            long id = ids.applyAsLong(call);
            newest = Math.max(newest, id);
            if (inMemory.add(id)) OwedWindow.this.handOn.accept(call);
        }

        void leftInStore(long id) {
            if (notInMemory >= 0 && id > countedUpTo) notInMemory++;
        }
    }

    private final int capacity;
    private final ToLongFunction<T> ids;
    private final Consumer<T> handOn;
    private final Set<Long> inMemory = new HashSet<>();
    /** Sources this node reads back, in the order the pager visits them. */
    private final Map<OwedSource, Source> sources = new LinkedHashMap<>();

    OwedWindow(int capacity, ToLongFunction<T> ids, Consumer<T> handOn) {
        this.capacity = capacity;
        this.ids = ids;
        this.handOn = handOn;
    }

    /**
     * A call just stored. Handed on at once, unless its source is behind or the window is full: then it stays in
     * the store and is read back in its turn. A source this node does not read back (a shard that runs elsewhere
     * now) has its calls handed on whatever the window holds: they are few, and no page would bring them.
     */
    synchronized void arrived(OwedSource key, T call) {
        Source source = sources.get(key);
        if (source == null) {
            if (inMemory.add(ids.applyAsLong(call))) handOn.accept(call);
        } else if (source.arrivedWhileReading != null) {
            source.arrivedWhileReading.add(call);
        } else if (source.behind) {
            // A call older than where reading stands was stored late (its commit came after a newer one's): keep it.
            if (ids.applyAsLong(call) <= source.newest) source.handOn(call);
            else source.leftInStore(ids.applyAsLong(call));
        } else if (inMemory.size() >= capacity) {
            source.behind = true;
            source.notInMemory = 1;
            source.countedUpTo = ids.applyAsLong(call);
        } else {
            source.handOn(call);
        }
    }

    /** The source's shard started here: whatever the store owes for it is read back from the start. */
    synchronized void readFromStart(OwedSource key) {
        Source source = sources.computeIfAbsent(key, Source::new);
        source.generation++;
        source.newest = 0;
        source.behind = true;
        source.notInMemory = -1;
    }

    /** A replay revived {@code calls} calls of the source: they are read back too. */
    synchronized void revived(OwedSource key, long calls) {
        Source source = sources.computeIfAbsent(key, Source::new);
        source.behind = true;
        if (source.notInMemory >= 0) source.notInMemory += calls;
    }

    /** The shard stopped here: its calls in memory go on, but the store is no longer read for it (its owner reads it). */
    synchronized void stopReading(OwedSource key) {
        sources.remove(key);
    }

    /** A call was taken or given up: its room is free. */
    synchronized void ended(long id) {
        inMemory.remove(id);
    }

    /** Calls owed: those in memory, and those known to wait in the store. */
    synchronized long owed() {
        long owed = inMemory.size();
        for (Source source : sources.values()) owed += Math.max(0, source.notInMemory);
        return owed;
    }

    synchronized int inMemory() {
        return inMemory.size();
    }

    /**
     * Reads one page for the next source that is behind, if the window has room for a useful page: false when there
     * was nothing to read. Store errors are thrown; the source stays behind and is read again.
     */
    boolean readPage(Reader<T> reader) {
        Source source;
        long after;
        int limit;
        int generation;
        boolean count;
        synchronized (this) {
            int room = capacity - inMemory.size();
            if (room < Math.min(PAGE, Math.max(1, capacity / 4))) return false;
            source = nextBehind();
            if (source == null) return false;
            source.arrivedWhileReading = new ArrayList<>();
            after = source.newest;
            limit = Math.min(PAGE, room);
            count = source.notInMemory < 0;
            generation = source.generation;
        }
        List<T> page;
        OwedCount owed = null;
        try {
            if (count) owed = reader.count(source.key);
            page = reader.page(source.key, after, limit);
        } catch (RuntimeException storeDown) {
            synchronized (this) {
                take(source, generation, List.of(), false, null);
            }
            throw storeDown;
        }
        synchronized (this) {
            take(source, generation, page, page.size() < limit, owed);
        }
        return true;
    }

    /** The next source that is behind and not being read, moved to the end of the visiting order. */
    private Source nextBehind() {
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source source = it.next();
            if (source.behind && source.arrivedWhileReading == null) {
                it.remove();
                sources.put(source.key, source);
                return source;
            }
        }
        return null;
    }

    /**
     * Hands on what a page read (unless the source stopped meanwhile), then the calls that arrived while it was read:
     * those the page passed over or that came after its end when it caught up. The rest stay in the store, and so
     * does everything when the source is to be read from the start again (the next page brings it).
     */
    private void take(Source source, int generation, List<T> page, boolean caughtUp, OwedCount owed) {
        List<T> arrived = source.arrivedWhileReading;
        source.arrivedWhileReading = null;
        if (sources.get(source.key) != source || source.generation != generation) return;
        if (owed != null) {
            source.notInMemory = owed.calls();
            source.countedUpTo = owed.newest();
        }
        for (T call : page) {
            source.handOn(call);
            if (source.notInMemory > 0) source.notInMemory--;
        }
        for (T call : arrived) {
            if (caughtUp || ids.applyAsLong(call) <= source.newest) source.handOn(call);
            else source.leftInStore(ids.applyAsLong(call));
        }
        if (caughtUp) {
            source.behind = false;
            source.notInMemory = 0;
            if (source.key.replayedAt() != 0) sources.remove(source.key);
        }
    }
}
