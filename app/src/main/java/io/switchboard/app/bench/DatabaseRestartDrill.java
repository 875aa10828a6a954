package io.switchboard.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code db-restart}: a node process on a PostgreSQL or MariaDB server of the drill's own ({@link RestartableDatabase};
 * the machine's shared servers are never touched), sends running, the server stopped for {@code down} (at least
 * until the node has answered a 503) and started again. Reports the 503s answered (each must carry Retry-After),
 * the time from the server's start to the first 202, and, from the ids acknowledged against the ids that reached
 * the network both ways, what was lost (must be 0) and what was sent without a 202.
 *
 * @param database postgresql or mariadb
 */
public record DatabaseRestartDrill(String database, Duration down, long seed) {

    public void run(Report report) throws Exception {
        report.setting("database", database);
        report.setting("down_s", down.toSeconds());
        Path folder = Files.createTempDirectory("switchboard-db-restart");
        try (RestartableDatabase db = RestartableDatabase.create(database);
             SendingNode rig = SendingNode.start(folder, folder.resolve("data"),
                     Map.of("SWITCHBOARD_DB_URL", db.url(), "SWITCHBOARD_DB_USER", db.user()), 1, seed);
             AcknowledgedSends sends = rig.sends()) {
            DrillNode node = rig.node();
            SendsThroughFault.awaitMoreAccepted(sends, node, "before the restart");
            long stopped = System.nanoTime();
            db.stop();
            SendsThroughFault.await("503 while the database was down", () -> sends.answered(503) > 0, node);
            SendsThroughFault.sleepUntil(stopped, down);
            long downFor = System.nanoTime() - stopped;
            sends.mark();
            db.start();
            long started = System.nanoTime();
            double recovery = SendsThroughFault.awaitRecovery(sends, node, started);
            SendsThroughFault.awaitMoreAccepted(sends, node, "after the restart");
            SendsThroughFault.await("ready again", node::ready, node);
            AcknowledgedSends.Tally tally = SendsThroughFault.settle(sends, () -> List.of(rig.network()));
            report.add("database_down_s", downFor / 1e9, "s");
            report.add("recovery_s", recovery, "s");
            SendsThroughFault.report(report, sends, tally);
        } finally {
            Folders.delete(folder);
        }
    }
}
