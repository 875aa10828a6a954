package io.switchboard.engine.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.Priority;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void strictPriorityBetweenLevelsAndFifoWithinOne() {
        Outbox outbox = new Outbox();
        outbox.add(entry(1, Priority.LOW));
        outbox.add(entry(2, Priority.NORMAL));
        outbox.add(entry(3, Priority.URGENT));
        outbox.add(entry(4, Priority.NORMAL));
        outbox.add(entry(5, Priority.HIGH));
        assertThat(drain(outbox)).containsExactly(3L, 5L, 2L, 4L, 1L);
        assertThat(outbox.poll()).isNull();
    }

    @Test
    void beyondItsMemoryLimitItKeepsIdsAndReadsBodiesBackInPagesInOrder() {
        Map<Long, OutboxEntry> store = new HashMap<>();
        List<Integer> pages = new ArrayList<>();
        Outbox outbox = new Outbox(ids -> {
            pages.add(ids.size());
            return ids.stream().map(store::get).toList();
        }, 100);
        List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= 2_000; id++) {
            OutboxEntry entry = entry(id, Priority.NORMAL);
            store.put(id, entry);
            outbox.add(entry);
            expected.add(id);
        }
        assertThat(drain(outbox)).containsExactlyElementsOf(expected);
        assertThat(pages).as("1,900 bodies read back in pages of at most 500").hasSize(4).allMatch(size -> size <= 500);
    }

    @Test
    void aStoredMessageThatIsNoLongerQueuedIsSkipped() {
        Map<Long, OutboxEntry> store = new HashMap<>(Map.of(2L, entry(2, Priority.HIGH)));
        Outbox outbox = new Outbox(ids -> ids.stream().filter(store::containsKey).map(store::get).toList(), 0);
        outbox.addStored(1, Priority.HIGH);
        outbox.addStored(2, Priority.HIGH);
        assertThat(drain(outbox)).containsExactly(2L);
    }

    @Test
    void aMessageWhoseBodyTheStoreCouldNotReadStaysFirstInLine() {
        Map<Long, OutboxEntry> store = new HashMap<>(Map.of(1L, entry(1, Priority.NORMAL), 2L, entry(2, Priority.NORMAL)));
        boolean[] storeDown = {true};
        Outbox outbox = new Outbox(ids -> {
            if (storeDown[0]) throw new IllegalStateException("database call failed");
            return ids.stream().map(store::get).toList();
        }, 0);
        outbox.addStored(1, Priority.NORMAL);
        outbox.addStored(2, Priority.NORMAL);
        assertThatThrownBy(outbox::poll).hasMessage("database call failed");
        storeDown[0] = false;
        assertThat(drain(outbox)).containsExactly(1L, 2L);
    }

    @Test
    void entriesTakenByALostConnectionGoBackToTheFrontInOrder() {
        Outbox outbox = new Outbox();
        outbox.add(entry(3, Priority.NORMAL));
        outbox.returnToFront(List.of(entry(1, Priority.NORMAL), entry(2, Priority.NORMAL)));
        assertThat(drain(outbox)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aWithdrawnMessageIsNeitherSentNorCountedAndOnlyAWaitingOneCanBeWithdrawn() {
        Outbox outbox = new Outbox();
        for (long id = 1; id <= 4; id++) outbox.add(entry(id, Priority.NORMAL));
        outbox.add(entry(5, Priority.LOW));
        assertThat(outbox.poll().id()).isEqualTo(1L);

        assertThat(outbox.withdraw(1, Priority.NORMAL)).as("already taken").isFalse();
        assertThat(outbox.withdraw(3, Priority.LOW)).as("not at that priority").isFalse();
        assertThat(outbox.withdraw(3, Priority.NORMAL)).isTrue();
        assertThat(outbox.withdraw(3, Priority.NORMAL)).as("withdrawn once").isFalse();
        outbox.skip(5, Priority.LOW);
        assertThat(outbox.depths()[Priority.NORMAL.rank()]).isEqualTo(2);
        assertThat(outbox.depths()[Priority.LOW.rank()]).isZero();
        assertThat(outbox.size()).isEqualTo(2);

        assertThat(drain(outbox)).containsExactly(2L, 4L);
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.depths()).containsOnly(0);
    }

    @Test
    void aMessageQueuedTwiceIsWithdrawnBothTimes() {
        Outbox outbox = new Outbox();
        outbox.add(entry(1, Priority.NORMAL));
        outbox.add(entry(2, Priority.NORMAL));
        outbox.add(entry(1, Priority.NORMAL));
        assertThat(outbox.withdraw(1, Priority.NORMAL)).isTrue();
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(drain(outbox)).containsExactly(2L);
    }

    @Test
    void anOutboxHoldingOnlyWithdrawnMessagesIsEmpty() {
        Outbox outbox = new Outbox();
        outbox.add(entry(1, Priority.HIGH));
        outbox.skip(1, Priority.HIGH);
        assertThat(outbox.isEmpty()).as("the pump must not spend a token on it").isTrue();
        assertThat(outbox.poll()).isNull();
    }

    private static List<Long> drain(Outbox outbox) {
        List<Long> ids = new ArrayList<>();
        for (OutboxEntry e = outbox.poll(); e != null; e = outbox.poll()) ids.add(e.id());
        return ids;
    }

    private static OutboxEntry entry(long id, Priority priority) {
        return new OutboxEntry(id, "+15550000001", priority, "text", "{\"body\":\"" + id + "\"}");
    }
}
