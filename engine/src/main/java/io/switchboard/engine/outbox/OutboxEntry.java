package io.switchboard.engine.outbox;

import io.switchboard.store.Priority;

/** An outgoing message waiting for its turn; the payload is plaintext and lives only in memory. */
public record OutboxEntry(long id, String to, Priority priority, String type, String payload) {
}
