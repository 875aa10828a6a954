package io.switchboard.engine.shard;

import io.switchboard.store.MessageStatus;
import java.util.concurrent.atomic.LongAdder;

/** Node-wide tallies of what happened to messages, for the live view and the summary. */
public final class Counters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder[] statuses = new LongAdder[MessageStatus.values().length];

    public Counters() {
        for (int i = 0; i < statuses.length; i++) statuses[i] = new LongAdder();
    }

    public void accepted(int count) {
        accepted.add(count);
    }

    void received() {
        received.increment();
    }

    public void status(MessageStatus status) {
        statuses[status.ordinal()].increment();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long receivedCount() {
        return received.sum();
    }

    /** How many messages reached the status (each counted once, when it got there). */
    public long reached(MessageStatus status) {
        return status == MessageStatus.QUEUED ? accepted.sum() : statuses[status.ordinal()].sum();
    }
}
