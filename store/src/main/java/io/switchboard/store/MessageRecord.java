package io.switchboard.store;

/**
 * One message as stored. {@code sealedBody} is the content (the kind's JSON) sealed with the number's data key;
 * the times are epoch milliseconds, null until that status was reached; {@code options} are what an outgoing message
 * replies to, when it may go and when it expires; {@code sealedCallback} is the value its status events echo (the
 * Cloud API's {@code biz_opaque_callback_data}, a push's id), sealed like the body, or null; {@code sealedOrigin} what
 * the network said about an incoming message besides its content (the sender's name, the message replied to, the ad
 * the user came from) as a JSON object, sealed like the body, or null.
 */
public record MessageRecord(long id, String projectId, String number, Direction direction, String peer, int shard,
                            Priority priority, String type, byte[] sealedBody, MessageStatus status,
                            String networkId, String error, boolean hookPending, Times times, SendOptions options,
                            byte[] sealedCallback, byte[] sealedOrigin) {

    /** A message with no origin (every outgoing one). */
    public MessageRecord(long id, String projectId, String number, Direction direction, String peer, int shard,
                         Priority priority, String type, byte[] sealedBody, MessageStatus status,
                         String networkId, String error, boolean hookPending, Times times, SendOptions options,
                         byte[] sealedCallback) {
        this(id, projectId, number, direction, peer, shard, priority, type, sealedBody, status, networkId, error,
                hookPending, times, options, sealedCallback, null);
    }

    /** A message with no callback value. */
    public MessageRecord(long id, String projectId, String number, Direction direction, String peer, int shard,
                         Priority priority, String type, byte[] sealedBody, MessageStatus status,
                         String networkId, String error, boolean hookPending, Times times, SendOptions options) {
        this(id, projectId, number, direction, peer, shard, priority, type, sealedBody, status, networkId, error,
                hookPending, times, options, null);
    }

    /** A message sent at once (or an incoming one). */
    public MessageRecord(long id, String projectId, String number, Direction direction, String peer, int shard,
                         Priority priority, String type, byte[] sealedBody, MessageStatus status,
                         String networkId, String error, boolean hookPending, Times times) {
        this(id, projectId, number, direction, peer, shard, priority, type, sealedBody, status, networkId, error,
                hookPending, times, SendOptions.NONE);
    }

    public record Times(long created, Long sent, Long delivered, Long read, Long failed, Long expired, Long cancelled) {
        public Times(long created, Long sent, Long delivered, Long read, Long failed) {
            this(created, sent, delivered, read, failed, null, null);
        }

        public static Times createdAt(long created) {
            return new Times(created, null, null, null, null);
        }
    }

    /** The status a user sees: an incoming message at rank 0 is {@code received}, not queued. */
    public String statusLabel() {
        return direction == Direction.IN && status == MessageStatus.QUEUED ? "received" : status.label();
    }
}
