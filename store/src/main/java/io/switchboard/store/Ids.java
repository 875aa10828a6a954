package io.switchboard.store;

import com.github.f4b6a3.tsid.TsidFactory;
import com.github.f4b6a3.tsid.Tsid;

/**
 * Time-ordered 64-bit ids (TSID): unique across nodes without a database round trip, and ordered by creation,
 * which keeps FIFO order when a queue is rebuilt from the store. Shown to users as 13 Crockford base32 characters.
 */
public final class Ids {
    // 10 node bits chosen at random per process, 12 counter bits: 4,096 ids per millisecond per node.
    private static final TsidFactory FACTORY = TsidFactory.newInstance1024();

    private Ids() {}

    public static long next() {
        return FACTORY.create().toLong();
    }

    public static String format(long id) {
        return Tsid.from(id).toString();
    }

    /** The id a user gave back, or -1 when it is not one of ours. */
    public static long parse(String text) {
        return text != null && Tsid.isValid(text) ? Tsid.from(text).toLong() : -1;
    }
}
