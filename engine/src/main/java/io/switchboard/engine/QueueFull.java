package io.switchboard.engine;

/** A project has no room left in this node's queues ({@link QueueRoom}): try again once some have gone out. */
public final class QueueFull extends RuntimeException {
    QueueFull(String message) {
        super(message);
    }
}
