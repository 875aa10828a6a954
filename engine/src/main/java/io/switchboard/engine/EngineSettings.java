package io.switchboard.engine;

import java.time.Duration;

/**
 * How the engine reaches the network. {@code window} is how many incoming items (messages and reports) the network
 * may hand a shard before the shard has stored and acknowledged them. {@code clustered}: the node shares its store
 * with other nodes, runs only the shards whose lease it holds, and hands the other shards' messages off through the
 * store. {@code contactRefresh}: a contact seen again with the same name is written again only this long after its
 * last write. {@code queueRoomPerProject}: how many of a project's messages may wait in the queues this node runs
 * before its new sends are refused (0: no limit).
 */
public record EngineSettings(String networkHost, int networkPort, int window, Duration heartbeat, boolean clustered,
                             Duration contactRefresh, int queueRoomPerProject) {
    public static EngineSettings of(String networkHost, int networkPort) {
        return new EngineSettings(networkHost, networkPort, 1_000, Duration.ofSeconds(5), false, Duration.ofMinutes(1),
                5_000_000);
    }

    public EngineSettings clustered(boolean clustered) {
        return new EngineSettings(networkHost, networkPort, window, heartbeat, clustered, contactRefresh,
                queueRoomPerProject);
    }

    public EngineSettings queueRoomPerProject(int queueRoomPerProject) {
        return new EngineSettings(networkHost, networkPort, window, heartbeat, clustered, contactRefresh,
                queueRoomPerProject);
    }

    public EngineSettings contactRefresh(Duration contactRefresh) {
        return new EngineSettings(networkHost, networkPort, window, heartbeat, clustered, contactRefresh,
                queueRoomPerProject);
    }
}
