package io.switchboard.metrics.shards;

import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.shard.ShardWorker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/** The shards of a node on its own: every shard of every number open here, connected or not. */
public final class LocalShardMap implements ShardMap {
    private final Engine engine;
    private final Supplier<String> node;

    /** {@code node}: how this node is named on the map (its host and API port, known once the API listens). */
    public LocalShardMap(Engine engine, Supplier<String> node) {
        this.engine = engine;
        this.node = node;
    }

    @Override
    public List<ShardPlacement> placements() {
        List<ShardPlacement> placements = new ArrayList<>();
        String node = this.node.get();
        for (NumberLine line : engine.lines()) {
            int shards = line.shards().count();
            for (ShardWorker worker : line.shards().running()) {
                placements.add(new ShardPlacement(line.number().number(), line.project().id(), worker.shard(), shards,
                        node, worker.connected()));
            }
        }
        placements.sort(Comparator.comparing(ShardPlacement::number).thenComparingInt(ShardPlacement::shard));
        return placements;
    }
}
