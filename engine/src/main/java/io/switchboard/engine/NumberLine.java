package io.switchboard.engine;

import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.Shards;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Project;
import io.switchboard.store.crypto.DataKey;
import java.util.List;

/** A running number: its settings, its project, its unwrapped data key and one worker per shard. */
public record NumberLine(BusinessNumber number, Project project, DataKey key, List<ShardWorker> shards) {

    public ShardWorker shardFor(String user) {
        return shards.get(Shards.of(user, shards.size()));
    }
}
