package io.switchboard.metrics.shards;

/** Where one shard of a number runs: the node that holds its connection, and whether it is connected now. */
public record ShardPlacement(String number, String projectId, int shard, int shards, String node, boolean connected) {}
