package io.switchboard.dispatcher;

import java.util.concurrent.atomic.LongAdder;

/** What the dispatcher did, for the live view and the summary. */
public final class DispatchCounters {
    final LongAdder webhookCalls = new LongAdder();
    final LongAdder eventCalls = new LongAdder();
    final LongAdder eventsDelivered = new LongAdder();
    final LongAdder failedCalls = new LongAdder();
    final LongAdder instantReplies = new LongAdder();
    final LongAdder rejectedReplies = new LongAdder();
    final LongAdder deadLetters = new LongAdder();

    /** Webhook calls (incoming messages) that the customer's server took. */
    public long webhookCalls() {
        return webhookCalls.sum();
    }

    /** Event Webhook calls the customer's server took; each carries a batch of events. */
    public long eventCalls() {
        return eventCalls.sum();
    }

    public long eventsDelivered() {
        return eventsDelivered.sum();
    }

    /** Calls that failed (no answer, or not 2xx) and were scheduled again. */
    public long failedCalls() {
        return failedCalls.sum();
    }

    public long instantReplies() {
        return instantReplies.sum();
    }

    /** Calls given up after their retry window (a batch of events counts each event). */
    public long deadLetters() {
        return deadLetters.sum();
    }

    /** Replies in Webhook answers that broke the message rules: not sent, recorded as failed messages. */
    public long rejectedReplies() {
        return rejectedReplies.sum();
    }
}
