package io.switchboard.store;

import java.util.Locale;

/**
 * A message's place in its life. The rank only grows: a status is applied only over a lower rank, so a late
 * or repeated report (a {@code delivered} after {@code read}) never moves a message back. Failed, expired and
 * cancelled are final; expired and cancelled are reached only from queued (a message the network has is past
 * cancelling, and past expiring), so none of the three ever replaces another.
 * An incoming message is {@code received} at rank 0.
 */
public enum MessageStatus {
    QUEUED(0), SENT(1), DELIVERED(2), READ(3), FAILED(4), EXPIRED(5), CANCELLED(6);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nothing comes after this status. */
    public boolean isFinal() {
        return rank >= FAILED.rank;
    }

    /** Whether this status may only replace {@code queued}: the message never left the node. */
    public boolean onlyFromQueued() {
        return this == EXPIRED || this == CANCELLED;
    }

    public static MessageStatus ofRank(int rank) {
        for (MessageStatus status : values()) {
            if (status.rank == rank) return status;
        }
        throw new IllegalArgumentException("no status of rank " + rank);
    }

    /** The column that keeps when this status was reached. */
    public String timeColumn() {
        return switch (this) {
            case QUEUED -> "created_at";
            case SENT -> "sent_at";
            case DELIVERED -> "delivered_at";
            case READ -> "read_at";
            case FAILED -> "failed_at";
            case EXPIRED -> "expired_at";
            case CANCELLED -> "cancelled_at";
        };
    }
}
