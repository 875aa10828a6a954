package io.switchboard.engine;

import io.switchboard.store.Priority;
import io.switchboard.store.SendOptions;

/**
 * A validated message to send: {@code payload} is the JSON of the object named after its {@code type} (for text:
 * {"body":...}), stored and sent as the customer wrote it; {@code options} say what it replies to and when it may go;
 * {@code callback}, what its status events echo (stored sealed, never sent to the network), or null.
 */
public record OutgoingMessage(String from, String to, String type, String payload, Priority priority,
                              SendOptions options, String callback) {

    /** A message whose status events echo nothing. */
    public OutgoingMessage(String from, String to, String type, String payload, Priority priority, SendOptions options) {
        this(from, to, type, payload, priority, options, null);
    }

    /** A message to send at once, replying to nothing. */
    public OutgoingMessage(String from, String to, String type, String payload, Priority priority) {
        this(from, to, type, payload, priority, SendOptions.NONE);
    }
}
