package io.switchboard.network.sim;

/**
 * The counters a {@link SimNetwork} keeps, globally and per number; {@link #key()} is the JSON name.
 * {@code DELIVERED} counts messages that reached their user; {@code DELIVERY_REPORTS} the "delivered" reports made
 * for them, fewer when a link logged in without delivery reports. {@code STALE_FRAMES} counts every frame that came
 * on a fenced connection and was refused; {@code STALE_SENDS} those of them that tried to send a message.
 * {@code MARKED_READ} counts incoming messages the business marked read.
 */
public enum Counter {
    LOGINS, FENCED, STALE_FRAMES, STALE_SENDS, RECEIVED, DUPLICATES, SENT_ACKS, DELIVERED, DELIVERY_REPORTS, READ, FAILED, REPLIES,
    GENERATED, HANDED, STATUSES_HANDED, REJECTED, MARKED_READ;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
