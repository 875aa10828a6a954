package io.switchboard.engine;

import io.switchboard.engine.outbox.Outbox;
import io.switchboard.network.Shards;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Project;
import io.switchboard.store.crypto.DataKey;

/**
 * A number open on this node: its settings, its project, its unwrapped data key, the reader of its queued messages
 * and the shard workers this node runs for it.
 */
public record NumberLine(BusinessNumber number, Project project, DataKey key, Outbox.Loader loader, ShardSlots shards) {

    /** The shard a user's messages go on. */
    public int shardOf(String user) {
        return Shards.of(user, shards.count());
    }
}
