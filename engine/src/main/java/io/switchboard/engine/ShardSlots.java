package io.switchboard.engine;

import io.switchboard.engine.shard.ShardWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The shards of one number and the workers this node runs for them: all of them on a single node, in a cluster
 * only those whose lease it holds (the others are empty).
 */
public final class ShardSlots {
    private final AtomicReferenceArray<ShardWorker> workers;

    public ShardSlots(int count) {
        this.workers = new AtomicReferenceArray<>(count);
    }

    public int count() {
        return workers.length();
    }

    /** The worker of the shard, or null when this node does not run it. */
    public ShardWorker get(int shard) {
        return workers.get(shard);
    }

    /** Installs a worker in an empty slot; false when the slot was taken. */
    boolean start(int shard, ShardWorker worker) {
        return workers.compareAndSet(shard, null, worker);
    }

    /** Empties the slot if {@code worker} is still in it (one that could not start). */
    void remove(int shard, ShardWorker worker) {
        workers.compareAndSet(shard, worker, null);
    }

    /** Empties the slot and answers the worker that was in it, or null. */
    ShardWorker stop(int shard) {
        return workers.getAndSet(shard, null);
    }

    /** The workers this node runs for the number, in shard order. */
    public List<ShardWorker> running() {
        List<ShardWorker> running = new ArrayList<>(count());
        for (int shard = 0; shard < count(); shard++) {
            ShardWorker worker = workers.get(shard);
            if (worker != null) running.add(worker);
        }
        return running;
    }
}
