package io.switchboard.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.EventRecord;
import io.switchboard.store.MessageStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Event Webhook call's webhook-id names exactly its events: a retry of the same batch keeps it, and a batch made
 * again otherwise after a restart (same first event, other events after it) gets another, so a receiver that
 * de-duplicates by webhook-id (as Standard Webhooks advises) never drops events it has not seen.
 */
class EventBatchIdTest {
    private static EventRecord event(long id) {
        return new EventRecord(id, "p1", 100 + id, "+919800000001", "+15550000001", MessageStatus.DELIVERED, null, id);
    }

    @Test
    void theSameEventsKeepTheirIdAndOtherEventsAfterTheSameFirstGetAnother() {
        String first = Dispatcher.eventBatchId(List.of(event(1), event(2)));
        assertThat(Dispatcher.eventBatchId(List.of(event(1), event(2)))).isEqualTo(first);
        assertThat(first).startsWith("evt_").matches("evt_\\w{13}_[0-9a-f]{16}");

        assertThat(Dispatcher.eventBatchId(List.of(event(1)))).isNotEqualTo(first);
        assertThat(Dispatcher.eventBatchId(List.of(event(1), event(2), event(3)))).isNotEqualTo(first);
        assertThat(Dispatcher.eventBatchId(List.of(event(1), event(3)))).isNotEqualTo(first);
    }
}
