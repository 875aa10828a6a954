package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code network-restart}: a node process whose number's shards each hold a link to the simulated network, sends
 * running, the network killed (every connection cut, nothing it owed acknowledged) for {@code down} and started
 * again on the same port. Reports the time until every link logged in again, what was lost (must be 0) across both
 * runs of the network, and the duplicates: sends the first run took without acknowledging them are sent again.
 * The simulated network keeps nothing across a kill: what it acknowledged (SENT) in its last 50 ms, before the
 * delivery to the user, is gone with it. The node has those as sent and rightly does not send them again; they are
 * counted apart ({@code taken_then_dropped_by_killed_network}), not as lost.
 */
public final class NetworkRestartDrill {
    private static final int SHARDS = 4;
    private final Duration down;
    private final long seed;

    public NetworkRestartDrill(Duration down, long seed) {
        this.down = down;
        this.seed = seed;
    }

    public void run(Report report) throws Exception {
        report.setting("down_s", down.toSeconds());
        report.setting("shards", SHARDS);
        Path folder = Files.createTempDirectory("switchboard-network-restart");
        List<SimNetwork> runs = new CopyOnWriteArrayList<>();
        try {
            SimNetwork first = SimNetwork.start(SendsThroughFault.quietNetwork(seed));
            runs.add(first);
            SimConfig samePort = first.config().withPort(first.port());
            try (DrillNode node = new DrillNode(folder.resolve("node.log"), folder.resolve("data"), first.port(), Map.of(),
                    List.of()).start()) {
                String token = node.project("network-restart", null, null);
                node.number(token, SendsThroughFault.NUMBER, SendsThroughFault.TPS, SHARDS);
                SendsThroughFault.await("every link logged in", () -> first.stats().get(Counter.LOGINS) >= SHARDS, node);
                try (AcknowledgedSends sends = SendsThroughFault.start(node, token, first)) {
                    SendsThroughFault.awaitMoreAccepted(sends, node, "before the network was killed");
                    long killed = System.nanoTime();
                    first.close();
                    SendsThroughFault.awaitMoreAccepted(sends, node, "while the network was away");
                    long rest = down.toNanos() - (System.nanoTime() - killed);
                    if (rest > 0) Thread.sleep(rest / 1_000_000);
                    SimNetwork second = SimNetwork.start(samePort);
                    runs.add(second);
                    long restarted = System.nanoTime();
                    SendsThroughFault.await("every link logged in again", () -> second.stats().get(Counter.LOGINS) >= SHARDS, node);
                    report.add("network_down_s", (restarted - killed) / 1e9, "s");
                    report.add("reconnect_s", (System.nanoTime() - restarted) / 1e9, "s");
                    SendsThroughFault.awaitMoreAccepted(sends, node, "after the network came back");
                    SentByTheNode sentByTheNode = new SentByTheNode(node, token);
                    AcknowledgedSends.Tally tally = SendsThroughFault.settle(sends, () -> runs,
                            missing -> missing.size() <= SentByTheNode.MOST_ASKED && sentByTheNode.all(missing));
                    long dropped = sentByTheNode.count(tally.missing());
                    SendsThroughFault.report(report, sends, tally, tally.missing().size() - dropped);
                    report.add("taken_then_dropped_by_killed_network", dropped, "msg");
                    report.add("duplicates_counted_by_network", runs.stream()
                            .mapToLong(run -> run.stats().get(Counter.DUPLICATES)).sum(), "msg");
                }
            }
        } finally {
            for (SimNetwork run : runs) run.close();
            Folders.delete(folder);
        }
    }
}
