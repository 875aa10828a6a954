package io.switchboard.store;

/**
 * A status change of an outgoing message that waits to be handed to the project's Event Webhook. {@code callback} is
 * the value the message was sent with for its events to echo (opened), or null; the events table does not keep it:
 * the dispatcher reads it from the message ({@code Engine.withCallbacks}) when it batches the event.
 */
public record EventRecord(long id, String projectId, long messageId, String number, String recipient,
                          MessageStatus status, String error, long occurredAt, String callback) {

    /** An event as the engine makes it, before its message's callback value is read. */
    public EventRecord(long id, String projectId, long messageId, String number, String recipient,
                       MessageStatus status, String error, long occurredAt) {
        this(id, projectId, messageId, number, recipient, status, error, occurredAt, null);
    }

    public EventRecord withCallback(String value) {
        return new EventRecord(id, projectId, messageId, number, recipient, status, error, occurredAt, value);
    }
}
