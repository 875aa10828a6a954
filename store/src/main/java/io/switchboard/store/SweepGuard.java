package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;

/**
 * Who sweeps old data: one node at a time, even when a cluster shares the store, so two nodes never race through
 * the same batches. The node holding the lease renews it with each run; if it dies, the lease expires (by the
 * database server's clock) and the next node to try takes it.
 */
public final class SweepGuard {
    private static final String RETENTION = "retention";
    private final Database database;
    private final String nodeId;

    public SweepGuard(Database database, String nodeId) {
        this.database = database;
        this.nodeId = nodeId;
    }

    /** Takes or renews the lease for {@code millis}; false while another node holds it. */
    public boolean take(long millis) {
        String now = database.dialect().nowMillis();
        return database.withConnection(c -> Sql.update(c, "UPDATE sweep_leases SET owner = ?, expires_at = " + now
                + " + ? WHERE name = ? AND (owner = ? OR owner IS NULL OR expires_at < " + now + ")",
                nodeId, millis, RETENTION, nodeId)) == 1;
    }

    /** Hands the lease back (the node stops), so another node need not wait for it to expire. */
    public void release() {
        database.withConnection(c -> Sql.update(c, "UPDATE sweep_leases SET owner = NULL, expires_at = 0 "
                + "WHERE name = ? AND owner = ?", RETENTION, nodeId));
    }
}
