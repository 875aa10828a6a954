package io.switchboard.network.sim;

/**
 * The counters a {@link SimNetwork} keeps, globally and per number; {@link #key()} is the JSON name.
 * {@code DELIVERED} counts messages that reached their user; {@code DELIVERY_REPORTS} the "delivered" reports made
 * for them, fewer when a link logged in without delivery reports.
 */
public enum Counter {
    LOGINS, FENCED, STALE_FRAMES, RECEIVED, DUPLICATES, SENT_ACKS, DELIVERED, DELIVERY_REPORTS, READ, FAILED, REPLIES,
    GENERATED, HANDED, STATUSES_HANDED, REJECTED;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
