package io.switchboard.app.bench;

import io.switchboard.network.sim.SimNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the drills that send through a fault start with: a network that only takes sends, a node process on it, and
 * a project with one number whose budget never holds sends back.
 */
record SendingNode(SimNetwork network, DrillNode node, String token) implements AutoCloseable {

    /** @param settings more {@code SWITCHBOARD_*} settings of the node (its database, say) */
    static SendingNode start(Path folder, Path data, Map<String, String> settings, int shards, long seed)
            throws IOException, InterruptedException {
        SimNetwork network = SimNetwork.start(SendsThroughFault.quietNetwork(seed));
        DrillNode node = null;
        try {
            node = new DrillNode(folder.resolve("node.log"), data, network.port(), settings, List.of()).start();
            String token = node.project("drill", null, null);
            node.number(token, SendsThroughFault.NUMBER, SendsThroughFault.TPS, shards);
            return new SendingNode(network, node, token);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (node != null) node.close();
            network.close();
            throw e;
        }
    }

    AcknowledgedSends sends() {
        return new AcknowledgedSends(node.process().httpPort(), token, SendsThroughFault.NUMBER, network.users(),
                SendsThroughFault.CLIENTS, SendsThroughFault.RATE, SendsThroughFault.MAX_MESSAGES);
    }

    @Override
    public void close() throws InterruptedException {
        node.close();
        network.close();
    }
}
