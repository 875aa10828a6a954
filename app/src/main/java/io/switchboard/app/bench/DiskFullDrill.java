package io.switchboard.app.bench;

import io.switchboard.store.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code disk-full}: a node process whose data folder (the embedded store) is on a small tmpfs of its own, sends
 * running, the disk filled to the last byte with a file for {@code down} (at least until the node answered a 503),
 * then the file removed. Reports the 503s (each with Retry-After), the time from the space's return to the first
 * 202, what was lost, and then, with the node stopped, whether the store passes SQLite's integrity check with every
 * acknowledged message in it, and whether the node starts again on it. Takes root (mount).
 */
public record DiskFullDrill(Duration down, long seed) {
    private static final int DISK_MB = 32;

    public void run(Report report) throws Exception {
        report.setting("disk_mb", DISK_MB);
        report.setting("full_s", down.toSeconds());
        Path folder = Files.createTempDirectory("switchboard-disk-full");
        try (Tmpfs disk = Tmpfs.mount(DISK_MB);
             SendingNode rig = SendingNode.start(folder, disk.path().resolve("data"), Map.of(), 1, seed)) {
            DrillNode node = rig.node();
            AcknowledgedSends sends = rig.sends();
            try (sends) {
                SendsThroughFault.awaitMoreAccepted(sends, node, "before the disk filled");
                long filled = System.nanoTime();
                disk.fill();
                SendsThroughFault.await("503 while the disk was full", () -> sends.answered(503) > 0, node);
                report.add("first_503_after_full_s", (System.nanoTime() - filled) / 1e9, "s");
                SendsThroughFault.sleepUntil(filled, down);
                sends.mark();
                disk.free();
                long freed = System.nanoTime();
                report.add("recovery_s", SendsThroughFault.awaitRecovery(sends, node, freed), "s");
                SendsThroughFault.awaitMoreAccepted(sends, node, "after the space returned");
                SendsThroughFault.report(report, sends, SendsThroughFault.settle(sends, () -> List.of(rig.network())));
            }
            node.process().stop();
            Path store = disk.path().resolve("data");
            report.add("integrity_ok", integrityOk(store) ? 1 : 0, "bool");
            report.add("acknowledged_missing_in_store", missing(store, sends.acknowledgedIds()), "msg");
            node.start();
            report.add("started_again", node.ready() ? 1 : 0, "bool");
        } finally {
            Folders.delete(folder);
        }
    }

    private static boolean integrityOk(Path data) throws Exception {
        try (Connection store = DriverManager.getConnection(Database.embeddedUrl(data));
             ResultSet check = store.createStatement().executeQuery("PRAGMA integrity_check")) {
            return check.next() && "ok".equals(check.getString(1)) && !check.next();
        }
    }

    private static long missing(Path data, Set<Long> acknowledged) throws Exception {
        Set<Long> stored = new HashSet<>();
        try (Connection store = DriverManager.getConnection(Database.embeddedUrl(data));
             ResultSet ids = store.createStatement().executeQuery("SELECT id FROM messages")) {
            while (ids.next()) stored.add(ids.getLong(1));
        }
        return acknowledged.stream().filter(id -> !stored.contains(id)).count();
    }
}
