package io.switchboard.app.bench;

import io.switchboard.network.sim.Counter;
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
public record NetworkRestartDrill(Duration down, long seed) {
    private static final int SHARDS = 4;

    public void run(Report report) throws Exception {
        report.setting("down_s", down.toSeconds());
        report.setting("shards", SHARDS);
        Path folder = Files.createTempDirectory("switchboard-network-restart");
        List<SimNetwork> runs = new CopyOnWriteArrayList<>();
        try (SendingNode rig = SendingNode.start(folder, folder.resolve("data"), Map.of(), SHARDS, seed)) {
            SimNetwork first = rig.network();
            runs.add(first);
            DrillNode node = rig.node();
            SendsThroughFault.await("every link logged in", () -> first.stats().get(Counter.LOGINS) >= SHARDS, node);
            try (AcknowledgedSends sends = rig.sends()) {
                SendsThroughFault.awaitMoreAccepted(sends, node, "before the network was killed");
                long killed = System.nanoTime();
                first.close();
                SendsThroughFault.awaitMoreAccepted(sends, node, "while the network was away");
                SendsThroughFault.sleepUntil(killed, down);
                SimNetwork second = SimNetwork.start(first.config().withPort(first.port()));
                runs.add(second);
                long restarted = System.nanoTime();
                SendsThroughFault.await("every link logged in again", () -> second.stats().get(Counter.LOGINS) >= SHARDS, node);
                report.add("network_down_s", (restarted - killed) / 1e9, "s");
                report.add("reconnect_s", (System.nanoTime() - restarted) / 1e9, "s");
                SendsThroughFault.awaitMoreAccepted(sends, node, "after the network came back");
                SentByTheNode sentByTheNode = new SentByTheNode(node, rig.token());
                AcknowledgedSends.Tally tally = SendsThroughFault.settle(sends, () -> runs,
                        missing -> missing.size() <= SentByTheNode.MOST_ASKED && sentByTheNode.all(missing));
                long dropped = sentByTheNode.count(tally.missing());
                SendsThroughFault.report(report, sends, tally, tally.missing().size() - dropped);
                report.add("taken_then_dropped_by_killed_network", dropped, "msg");
                report.add("duplicates_counted_by_network", runs.stream()
                        .mapToLong(run -> run.stats().get(Counter.DUPLICATES)).sum(), "msg");
            }
        } finally {
            for (SimNetwork run : runs) run.close();
            Folders.delete(folder);
        }
    }
}
