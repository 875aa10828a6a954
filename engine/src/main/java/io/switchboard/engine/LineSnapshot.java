package io.switchboard.engine;

import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.store.Priority;

/**
 * A number at one instant, summed over its shards: budget tokens used so far per {@link Kind} (ordinal-indexed),
 * queue depth per {@link Priority} (rank-indexed), and incoming items waiting for a token.
 */
public record LineSnapshot(String number, int tps, int shards, int connectedShards, long[] used, int[] depths,
                           int incomingWaiting) {

    static LineSnapshot of(NumberLine line) {
        long[] used = new long[Kind.values().length];
        int[] depths = new int[Priority.values().length];
        int connected = 0;
        int waiting = 0;
        for (ShardWorker worker : line.shards().running()) {
            long[] u = worker.budget().used();
            for (int i = 0; i < used.length; i++) used[i] += u[i];
            int[] d = worker.depths();
            for (int i = 0; i < depths.length; i++) depths[i] += d[i];
            if (worker.connected()) connected++;
            waiting += worker.incomingWaiting();
        }
        return new LineSnapshot(line.number().number(), line.number().tps(), line.shards().count(), connected, used,
                depths, waiting);
    }

    public long usedTotal() {
        long total = 0;
        for (long u : used) total += u;
        return total;
    }

    public int queued() {
        int total = 0;
        for (int d : depths) total += d;
        return total;
    }
}
