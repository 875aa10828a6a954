package io.switchboard.store;

/**
 * A status change of an outgoing message that waits to be handed to the project's Event Webhook. {@code sent} is what
 * its message was sent as (its callback value, opened, its type, the network's id of it), or null: the events table
 * does not keep it, the dispatcher reads it from the message ({@code Engine.withMessages}) when it batches the event
 * for a format that writes it. {@code details}
 * is what the network told with the status besides it, as the JSON object of Meta's status webhook ({@code errors},
 * {@code conversation}, {@code pricing}), or null.
 */
public record EventRecord(long id, String projectId, long messageId, String number, String recipient,
                          MessageStatus status, String error, long occurredAt, String details, Sent sent) {

    /** An event as the engine makes it, before its message's callback value is read. */
    public EventRecord(long id, String projectId, long messageId, String number, String recipient,
                       MessageStatus status, String error, long occurredAt, String details) {
        this(id, projectId, messageId, number, recipient, status, error, occurredAt, details, null);
    }

    /** An event with nothing but its status and error. */
    public EventRecord(long id, String projectId, long messageId, String number, String recipient,
                       MessageStatus status, String error, long occurredAt) {
        this(id, projectId, messageId, number, recipient, status, error, occurredAt, null, null);
    }

    /**
     * What a message was sent as: {@code callback}, the value its events echo (the Cloud API's
     * {@code biz_opaque_callback_data}, a push's id), or null; its {@code type}; {@code networkId}, the network's id of
     * it (Meta's wamid), null before it was sent; {@code cloud}, whether its number is connected to Meta's Cloud API.
     */
    public record Sent(String callback, String type, String networkId, boolean cloud) {}

    /** The callback value of the message, once read ({@link #withSent}); null when it has none. */
    public String callback() {
        return sent == null ? null : sent.callback();
    }

    public EventRecord withSent(Sent value) {
        return new EventRecord(id, projectId, messageId, number, recipient, status, error, occurredAt, details, value);
    }
}
