package io.switchboard.network;

/** The node's connection to the network for one (number, shard). */
public interface ShardLink extends AutoCloseable {
    /**
     * Thread-safe and non-blocking: the frame is queued and written by the link's writer. {@code context} is the id
     * of the message this one replies to, or "".
     */
    void send(long messageId, String to, String type, String payload, String context);

    /** A message that replies to nothing. */
    default void send(long messageId, String to, String type, String payload) {
        send(messageId, to, type, payload, "");
    }

    /**
     * Tells the network the business read the incoming message {@code networkId}, and with {@code typing} that a
     * reply is being written (a typing indicator the user sees until the reply or 25 s). Thread-safe and non-blocking.
     */
    void markRead(String networkId, boolean typing);

    /**
     * Whether the far end fetches a media message's {@code link} itself (Meta's Cloud API does); otherwise the node
     * fetches the file and sends it stored.
     */
    default boolean fetchesMediaLinks() {
        return false;
    }

    /**
     * Whether delivery and read reports (and the business's read marks) count against the number's throughput: the
     * provider's TPS counts them; Meta's Cloud API counts messages, sent and received, only.
     */
    default boolean reportsCountAsThroughput() {
        return true;
    }

    /**
     * Asks the network for a group operation of this link's number; the future completes with the group as the
     * network keeps it afterwards, or fails with a {@link io.switchboard.network.groups.GroupRefused} (its code
     * {@code not_connected} when the link is down or went down before the answer). Thread-safe; returns at once.
     */
    java.util.concurrent.CompletableFuture<io.switchboard.network.groups.GroupInfo> group(
            io.switchboard.network.groups.GroupCommand command);

    /** The inbound item (INBOUND or STATUS) with this seq is durably stored; returns one credit. */
    void ack(long seq);

    boolean connected();

    /**
     * Logs in again at once, telling the network whether this link wants delivery reports. It is a reconnect to the
     * listener ({@link ShardLinkListener#onDisconnected} then {@link ShardLinkListener#onConnected}), with what a
     * reconnect brings: the network hands unacknowledged items over again, and the listener re-sends what never got
     * SENT. Thread-safe; returns at once.
     */
    void relogin(boolean deliveryReports);

    /** Stops reconnecting and closes the socket. */
    @Override
    void close();
}
