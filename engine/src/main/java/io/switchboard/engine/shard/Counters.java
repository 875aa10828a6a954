package io.switchboard.engine.shard;

import io.switchboard.store.MessageStatus;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tallies of what happened to messages, for the live view, the summary and the metrics: node-wide, or one number's
 * ({@link #child()}), which adds to its parent too, so the node-wide figures stay the sum of the numbers'.
 */
public final class Counters {
    private final Counters parent;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder[] statuses = new LongAdder[MessageStatus.values().length];

    public Counters() {
        this(null);
    }

    private Counters(Counters parent) {
        this.parent = parent;
        for (int i = 0; i < statuses.length; i++) statuses[i] = new LongAdder();
    }

    /** A number's own tallies, counted into these as well. */
    public Counters child() {
        return new Counters(this);
    }

    public void accepted(int count) {
        accepted.add(count);
        if (parent != null) parent.accepted(count);
    }

    void received() {
        received.increment();
        if (parent != null) parent.received();
    }

    public void status(MessageStatus status) {
        statuses[status.ordinal()].increment();
        if (parent != null) parent.status(status);
    }

    /** Messages stored as failed at once, never queued: replies that broke the message rules. */
    public void failedAtOnce(int count) {
        statuses[MessageStatus.FAILED.ordinal()].add(count);
        if (parent != null) parent.failedAtOnce(count);
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
