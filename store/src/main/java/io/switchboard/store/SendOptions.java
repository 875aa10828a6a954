package io.switchboard.store;

/**
 * How an outgoing message is to be sent, beyond its content: {@code replyTo}, the id of the message it answers (the
 * Cloud API's {@code context.message_id}), or null; {@code notBefore}, the time it may go out (a schedule), and
 * {@code expiresAt}, after which it must not go out any more, both epoch milliseconds and 0 when not set.
 */
public record SendOptions(String replyTo, long notBefore, long expiresAt) {
    public static final SendOptions NONE = new SendOptions(null, 0, 0);

    public boolean scheduledAfter(long now) {
        return notBefore > now;
    }

    public boolean expires() {
        return expiresAt > 0;
    }
}
