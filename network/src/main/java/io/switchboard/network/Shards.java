package io.switchboard.network;

/** The one rule both ends use to map a user to a shard of a number. */
public final class Shards {
    private Shards() {}

    public static int of(String user, int shardCount) {
        return Math.floorMod(user.hashCode(), shardCount);
    }
}
