package io.switchboard.store;

/** A status change of an outgoing message that waits to be handed to the project's Event Webhook. */
public record EventRecord(long id, String projectId, long messageId, String number, String recipient,
                          MessageStatus status, String error, long occurredAt) {
}
