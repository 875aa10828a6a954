package io.switchboard.metrics.shards;

import java.util.List;

/**
 * Which node carries which shard of each number, as the dashboard and the metrics show it. Today a node knows only
 * its own shards ({@link LocalShardMap}); a cluster fills this in from its membership, so every node can show the
 * whole map, with the same consumers.
 */
public interface ShardMap {
    /** Every known shard, ordered by number, then shard. */
    List<ShardPlacement> placements();
}
