package io.switchboard.app.demo;

import io.switchboard.dispatcher.DispatchCounters;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.shard.Counters;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimStats;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;

/**
 * Everything the demo shows, read at one instant from the node, the network (or Meta's stand-in: what it refused,
 * {@code metaRefused}) and the bot.
 */
record Tally(long atNanos, long accepted, long[] reached, long incoming, long webhookCalls, long instantReplies,
             long eventCalls, long eventsDelivered, long[] used, int[] depths, int tps, long networkRejected,
             long networkDuplicates, long metaRefused, long botEvents) {

    static Tally read(Counters counters, DispatchCounters dispatch, LineSnapshot line, SimStats network,
                      long metaRefused, long botEvents) {
        long[] reached = new long[MessageStatus.values().length];
        for (MessageStatus status : MessageStatus.values()) reached[status.ordinal()] = counters.reached(status);
        return new Tally(System.nanoTime(), counters.accepted(), reached, counters.receivedCount(),
                dispatch.webhookCalls(), dispatch.instantReplies(), dispatch.eventCalls(), dispatch.eventsDelivered(),
                line.used(), line.depths(), line.tps(), network.get(Counter.REJECTED), network.get(Counter.DUPLICATES),
                metaRefused, botEvents);
    }

    long reached(MessageStatus status) {
        return reached[status.ordinal()];
    }

    long used(Kind kind) {
        return used[kind.ordinal()];
    }

    long usedTotal() {
        long total = 0;
        for (long u : used) total += u;
        return total;
    }

    int depth(Priority priority) {
        return depths[priority.rank()];
    }

    int queued() {
        int total = 0;
        for (int d : depths) total += d;
        return total;
    }
}
