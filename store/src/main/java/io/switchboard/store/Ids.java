package io.switchboard.store;

import com.github.f4b6a3.tsid.Tsid;

/**
 * Time-ordered 64-bit ids (TSID): ordered by creation, which keeps FIFO order when a queue is rebuilt from the store,
 * and unique across nodes because each node makes them on an id slot it holds ({@link io.switchboard.store.ids.NodeIds}).
 * Shown to users as 13 Crockford base32 characters.
 */
public final class Ids {
    private Ids() {}

    public static String format(long id) {
        return Tsid.from(id).toString();
    }

    /** The id a user gave back, or -1 when it is not one of ours. */
    public static long parse(String text) {
        return text != null && Tsid.isValid(text) ? Tsid.from(text).toLong() : -1;
    }
}
