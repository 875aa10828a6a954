package io.switchboard.network;

/** Called on the link's reader thread; implementations must not block long. */
public interface ShardLinkListener {
    /** After LOGIN_OK, also after every reconnect. */
    void onConnected();

    /** An established connection ended; the link reconnects by itself unless fenced or closed. */
    void onDisconnected(String reason);

    /** A newer epoch took over this (number, shard), or the login was refused; the link stops for good. */
    void onFenced(String reason);

    void onSent(long messageId, String networkMessageId, long atMillis);

    void onSendRejected(long messageId, String code, String reason);

    /**
     * The network refused these sent messages for now because the number is over its throughput (Meta's 130429):
     * none of them went, and they must go again later, in this order (a user's messages come in their order). The
     * number should slow down. The simulated network never says this.
     */
    void onThrottled(java.util.List<Long> messageIds);

    /**
     * {@code error} is null unless the status is FAILED. {@code details}: what the network told with the status
     * besides it, as the JSON object of Meta's status ({@code errors}, {@code conversation}, {@code pricing}), or null.
     */
    void onStatus(long seq, long messageId, String recipient, DeliveryStatus status, long atMillis, String error,
                  String details);

    /**
     * One member's report on a message sent to a group: each member reports delivered (always: a group's delivery
     * reports cannot be switched off), read, or failed. {@code error} is null unless FAILED.
     */
    void onGroupStatus(long seq, long messageId, String group, String member, DeliveryStatus status, long atMillis,
                       String error);

    void onInbound(long seq, InboundMessage message);
}
