package io.switchboard.api;

import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code limit} requests are handled at once (virtual threads set no bound of their own): past it a request
 * is answered 503 {@code overloaded} with {@code Retry-After: 1} at once, before any work, and the node keeps serving
 * what it took. The dashboard's live stream, open for as long as a browser looks, does not count. Logged once a spell.
 */
final class RequestsInFlight {
    private static final Logger LOG = LoggerFactory.getLogger(RequestsInFlight.class);
    private static final String TAKEN = "switchboard.inFlight";
    private static final String STREAM = "/dashboard/stream";

    private final int limit;
    private final Semaphore slots;
    private volatile boolean refusing;

    RequestsInFlight(int limit) {
        this.limit = limit;
        this.slots = new Semaphore(limit);
    }

    /** Before a request: takes a slot, or refuses it. */
    void enter(Context ctx) {
        if (ctx.path().equals(STREAM)) return;
        if (!slots.tryAcquire()) {
            if (!refusing) {
                refusing = true;
                LOG.warn("{} requests are under way, the most this node takes at once (api.max-requests-in-flight): "
                        + "more are answered 503 until some end", limit);
            }
            throw ApiError.unavailable("overloaded", "the node has " + limit + " requests under way, the most it takes "
                    + "at once; nothing was done", 1);
        }
        refusing = false;
        ctx.attribute(TAKEN, Boolean.TRUE);
    }

    /** After a request, whatever its end: gives its slot back if it took one. */
    void leave(Context ctx) {
        if (ctx.attribute(TAKEN) != null) {
            ctx.attribute(TAKEN, null);
            slots.release();
        }
    }
}
