package io.switchboard.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Messages.OwedCount;
import io.switchboard.store.Messages.OwedSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The window's bookkeeping between what is in memory and what waits in the store, with calls stored while a page is
 * being read (the races a busy node has): every stored call is handed on exactly once, each source's in id order, and
 * never more than the window at once. The "store" is the ids a real one would hold; a call is its id.
 */
class OwedWindowTest {
    private static final OwedSource SHARD = new OwedSource("+919800000001", 0, 0);

    private final TreeSet<Long> stored = new TreeSet<>();
    private final List<Long> handedOn = new ArrayList<>();
    /** Runs inside the next page read, after the store was looked at: a commit landing meanwhile. */
    private Runnable duringRead = () -> {};

    private final OwedWindow.Reader<Long> reader = new OwedWindow.Reader<>() {
        @Override
        public List<Long> page(OwedSource source, long after, int limit) {
            List<Long> page = stored.tailSet(after, false).stream().limit(limit).toList();
            Runnable commit = duringRead;
            duringRead = () -> {};
            commit.run();
            return page;
        }

        @Override
        public OwedCount count(OwedSource source) {
            return new OwedCount(stored.size(), stored.isEmpty() ? 0 : stored.last());
        }
    };

    private OwedWindow<Long> window(int capacity) {
        return new OwedWindow<>(capacity, id -> id, handedOn::add);
    }

    /** Stores a call and tells the window, as a commit does. */
    private void store(OwedWindow<Long> window, long id) {
        stored.add(id);
        window.arrived(SHARD, id);
    }

    /** The endpoint took every call handed on so far. */
    private void takeAll(OwedWindow<Long> window) {
        for (long id : handedOn) {
            stored.remove(id);
            window.ended(id);
        }
    }

    @Test
    void whatTheStoreOwesWhenTheShardStartsIsReadBackThenNewCallsGoStraightOn() {
        OwedWindow<Long> window = window(100);
        for (long id = 1; id <= 3; id++) stored.add(id);
        window.readFromStart(SHARD);
        store(window, 4); // stored by the shard before the pager came round: it waits its turn in the store
        assertThat(handedOn).isEmpty();
        assertThat(window.owed()).isZero(); // not counted until the source is read

        assertThat(window.readPage(reader)).isTrue();
        assertThat(handedOn).containsExactly(1L, 2L, 3L, 4L);
        store(window, 5);
        assertThat(handedOn).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(window.owed()).isEqualTo(5);
        assertThat(window.readPage(reader)).as("caught up: nothing to read").isFalse();
    }

    @Test
    void aCallStoredWhileTheLastPageIsReadIsHandedOnAfterItNeitherLostNorTwice() {
        OwedWindow<Long> window = window(100);
        stored.add(1L);
        window.readFromStart(SHARD);
        duringRead = () -> store(window, 2); // committed after the page's query saw the store
        window.readPage(reader);
        assertThat(handedOn).containsExactly(1L, 2L);

        duringRead = () -> {};
        window.readFromStart(SHARD); // read again from the start (a takeover): what is in memory is not doubled
        window.readPage(reader);
        assertThat(handedOn).containsExactly(1L, 2L);
    }

    @Test
    void aFullWindowLeavesNewCallsInTheStoreAndReadsThemBackInOrderAsRoomFrees() {
        OwedWindow<Long> window = window(4);
        window.readFromStart(SHARD);
        window.readPage(reader); // nothing owed yet: caught up
        for (long id = 1; id <= 10; id++) store(window, id);
        assertThat(handedOn).containsExactly(1L, 2L, 3L, 4L);
        assertThat(window.inMemory()).isEqualTo(4);
        assertThat(window.owed()).isEqualTo(10);
        assertThat(window.readPage(reader)).as("no room").isFalse();

        int rounds = 0;
        while (handedOn.size() < 10 && rounds++ < 20) {
            takeAll(window);
            duringRead = () -> store(window, 100 + handedOn.size()); // traffic goes on while the backlog drains
            window.readPage(reader);
            assertThat(window.inMemory()).isLessThanOrEqualTo(4);
        }
        while (window.owed() > 0 && rounds++ < 40) {
            takeAll(window);
            window.readPage(reader);
        }
        assertThat(handedOn).doesNotHaveDuplicates().isSorted();
        assertThat(handedOn).containsAll(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L));
        assertThat(stored).isEmpty();
    }

    @Test
    void whatIsOwedIsCountedOnceThoughItsCallArrivesAfterTheCount() {
        OwedWindow<Long> window = window(4);
        for (long id = 1; id <= 6; id++) stored.add(id);
        window.readFromStart(SHARD);
        duringRead = () -> window.arrived(SHARD, 6L); // committed before the count, told of only now
        window.readPage(reader);
        assertThat(handedOn).containsExactly(1L, 2L, 3L, 4L);
        assertThat(window.owed()).as("4 in memory, 2 in the store").isEqualTo(6);
        store(window, 7);
        assertThat(window.owed()).as("one more, stored after the count").isEqualTo(7);
    }

    @Test
    void aShardThatStoppedHereIsNoLongerReadButItsCallsInMemoryStay() {
        OwedWindow<Long> window = window(100);
        for (long id = 1; id <= 3; id++) stored.add(id);
        window.readFromStart(SHARD);
        duringRead = () -> window.stopReading(SHARD); // its lease moved while the page was read
        window.readPage(reader);
        assertThat(handedOn).as("its new owner reads them").isEmpty();
        assertThat(window.readPage(reader)).isFalse();

        store(window, 4); // a late status of a message it had sent: handed on, whatever the window
        assertThat(handedOn).containsExactly(4L);
    }

    @Test
    void aReplayedSourceIsReadOnceAndForgotten() {
        OwedWindow<Long> window = window(100);
        OwedSource replayed = new OwedSource(SHARD.number(), SHARD.shard(), 1_000L);
        for (long id = 1; id <= 2; id++) stored.add(id);
        window.revived(replayed, 2);
        window.readPage(reader);
        assertThat(handedOn).containsExactly(1L, 2L);
        assertThat(window.readPage(reader)).isFalse();
    }
}
