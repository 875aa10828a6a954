package io.switchboard.engine.outbox;

import io.switchboard.store.Priority;

/**
 * An outgoing message waiting for its turn; the payload is plaintext and lives only in memory. {@code replyTo} is
 * the id of the message it answers, or null; {@code expiresAt} the time after which it must not go (epoch ms, 0
 * when it does not expire).
 */
public record OutboxEntry(long id, String to, Priority priority, String type, String payload, String replyTo,
                          long expiresAt) {

    /** A message that replies to nothing and does not expire. */
    public OutboxEntry(long id, String to, Priority priority, String type, String payload) {
        this(id, to, priority, type, payload, null, 0);
    }

    /** The same message with another object to send (its link's media, fetched). */
    public OutboxEntry withPayload(String newPayload) {
        return new OutboxEntry(id, to, priority, type, newPayload, replyTo, expiresAt);
    }
}
