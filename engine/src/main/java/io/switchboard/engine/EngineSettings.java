package io.switchboard.engine;

import java.time.Duration;

/**
 * How the engine reaches the network. {@code window} is how many incoming items (messages and reports) the network
 * may hand a shard before the shard has stored and acknowledged them.
 */
public record EngineSettings(String networkHost, int networkPort, int window, Duration heartbeat) {
    public static EngineSettings of(String networkHost, int networkPort) {
        return new EngineSettings(networkHost, networkPort, 1_000, Duration.ofSeconds(5));
    }
}
