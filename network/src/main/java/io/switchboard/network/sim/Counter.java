package io.switchboard.network.sim;

/** The counters a {@link SimNetwork} keeps, globally and per number; {@link #key()} is the JSON name. */
public enum Counter {
    LOGINS, FENCED, STALE_FRAMES, RECEIVED, DUPLICATES, SENT_ACKS, DELIVERED, READ, FAILED, REPLIES, GENERATED,
    HANDED, STATUSES_HANDED, REJECTED;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
