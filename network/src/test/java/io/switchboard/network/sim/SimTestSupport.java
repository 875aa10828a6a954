package io.switchboard.network.sim;

import io.switchboard.network.LinkTarget;
import io.switchboard.network.SimLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Starts networks and links on ephemeral ports and closes them after each test. */
abstract class SimTestSupport {
    static final String NUMBER = "+919800000001";
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Fast timers, every message read, no replies, no generated traffic. */
    static SimConfig fast() {
        return SimConfig.defaults().withPort(0).withStatsPort(0).withUsers(1_000).withAckMillis(1)
                .withDeliverMillis(5).withReadMillis(10).withReplyMillis(10).withReadProbability(1)
                .withReplyProbability(0);
    }

    SimNetwork network(SimConfig config) throws IOException {
        SimNetwork network = SimNetwork.start(config);
        resources.add(network);
        return network;
    }

    SimLink link(SimNetwork network, int shard, int shardCount, long epoch, int window, RecordingListener listener) {
        return link(network.port(), shard, shardCount, epoch, window, listener);
    }

    SimLink link(int port, int shard, int shardCount, long epoch, int window, RecordingListener listener) {
        return link(new LinkTarget("127.0.0.1", port, NUMBER, shard, shardCount, epoch, window, true), listener);
    }

    SimLink link(LinkTarget target, RecordingListener listener) {
        SimLink link = SimLink.open(target, listener, HEARTBEAT);
        resources.add(0, link);
        return link;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
        resources.clear();
    }
}
