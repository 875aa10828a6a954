package io.switchboard.metrics.shards;

import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.store.cluster.Leases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The whole cluster's shards, from the shared leases: each shard's owner (a node id), or {@code none} while its
 * lease is free or expired. A shard this node owns is connected when its worker is; another node's shard counts as
 * connected while its owner's lease is live (that node fences itself before the lease can expire).
 */
public final class LeaseShardMap implements ShardMap {
    private static final String NONE = "none";
    private final Leases leases;
    private final Engine engine;
    private final String self;

    public LeaseShardMap(Leases leases, Engine engine, String self) {
        this.leases = leases;
        this.engine = engine;
        this.self = self;
    }

    @Override
    public List<ShardPlacement> placements() {
        List<ShardPlacement> placements = new ArrayList<>();
        for (Leases.Lease lease : leases.all()) {
            Optional<NumberLine> line = engine.line(lease.number());
            if (line.isEmpty()) continue; // a number added on another node, not opened here yet
            boolean live = lease.owner() != null && lease.expiresIn() >= 0;
            boolean connected = live;
            if (live && lease.owner().equals(self)) {
                ShardWorker worker = line.get().shards().get(lease.shard());
                connected = worker != null && worker.connected();
            }
            placements.add(new ShardPlacement(lease.number(), line.get().project().id(), lease.shard(),
                    line.get().shards().count(), live ? lease.owner() : NONE, connected));
        }
        placements.sort(Comparator.comparing(ShardPlacement::number).thenComparingInt(ShardPlacement::shard));
        return placements;
    }
}
