package io.switchboard.store;

/**
 * One message as stored. {@code sealedBody} is the content (the kind's JSON) sealed with the number's data key;
 * the times are epoch milliseconds, null until that status was reached.
 */
public record MessageRecord(long id, String projectId, String number, Direction direction, String peer, int shard,
                            Priority priority, String type, byte[] sealedBody, MessageStatus status,
                            String networkId, String error, boolean hookPending, Times times) {

    public record Times(long created, Long sent, Long delivered, Long read, Long failed) {
        public static Times createdAt(long created) {
            return new Times(created, null, null, null, null);
        }
    }

    /** The status a user sees: an incoming message at rank 0 is {@code received}, not queued. */
    public String statusLabel() {
        return direction == Direction.IN && status == MessageStatus.QUEUED ? "received" : status.label();
    }
}
