package io.switchboard.store.cluster;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's shared state: node heartbeats and shard leases, timed by the database server's clock. A lease
 * changes hands only when it is free or expired, and then its epoch grows by one: the fencing token that lets the
 * network refuse the previous owner.
 */
public final class Leases {
    private final Database database;

    public Leases(Database database) {
        if (database.dialect().embedded()) {
            throw new IllegalStateException("the embedded store is single-node: a cluster needs PostgreSQL or MariaDB "
                    + "(db.url) shared by every node");
        }
        this.database = database;
    }

    /** A node as the others see it; {@code heartbeatAge} in ms by the database's clock. */
    public record Node(String id, String address, long startedAt, long heartbeatAge) {}

    /** A (number, shard) lease; {@code owner} is null when free, {@code expiresIn} may be negative (expired). */
    public record Lease(String number, int shard, String owner, long epoch, long expiresIn) {}

    /** Records that the node is alive; answers the database's time. */
    public long heartbeat(String nodeId, String address) {
        return database.withConnection(c -> {
            long now = now(c);
            if (Sql.update(c, "UPDATE cluster_nodes SET heartbeat_at = ?, address = ? WHERE id = ?", now, address, nodeId) == 0) {
                Sql.update(c, database.dialect().insertIgnore("cluster_nodes (id, address, started_at, heartbeat_at)",
                        "(?, ?, ?, ?)"), nodeId, address, now, now);
            }
            return now;
        });
    }

    /** Every node with its heartbeat's age, oldest start first. */
    public List<Node> nodes() {
        return database.withConnection(c -> {
            long now = now(c);
            return Sql.query(c, "SELECT id, address, started_at, heartbeat_at FROM cluster_nodes ORDER BY started_at, id",
                    row -> new Node(row.getString(1), row.getString(2), row.getLong(3), now - row.getLong(4)));
        });
    }

    /** A node that stops cleanly says so, so the others need not wait for its heartbeat to age. */
    public void leave(String nodeId) {
        database.withConnection(c -> Sql.update(c, "UPDATE cluster_nodes SET heartbeat_at = 0 WHERE id = ?", nodeId));
        database.withConnection(c -> Sql.update(c,
                "UPDATE shard_leases SET owner = NULL, expires_at = 0 WHERE owner = ?", nodeId));
    }

    /**
     * Makes sure every shard of the number has a lease row (free until someone takes it), if the number still has
     * {@code shards} shards: a node that read the count just before a re-shard must not add rows for the old count.
     * The number's row is locked first, so a re-shard under way is waited for.
     */
    public void ensure(String number, int shards) {
        database.inTransaction(c -> {
            var current = Sql.queryOne(c, "SELECT shards FROM numbers WHERE number = ? FOR UPDATE", row -> row.getInt(1), number);
            if (current.isEmpty() || current.get() != shards) return null;
            for (int shard = 0; shard < shards; shard++) {
                Sql.update(c, database.dialect().insertIgnore("shard_leases (number, shard, owner, epoch, expires_at)",
                        "(?, ?, NULL, 0, 0)"), number, shard);
            }
            return null;
        });
    }

    public List<Lease> all() {
        return database.withConnection(c -> {
            long now = now(c);
            return Sql.query(c, "SELECT number, shard, owner, epoch, expires_at FROM shard_leases ORDER BY number, shard",
                    row -> new Lease(row.getString(1), row.getInt(2), row.getString(3), row.getLong(4), row.getLong(5) - now));
        });
    }

    /**
     * Extends every lease the node still owns by {@code leaseMillis} and answers them: a lease missing from the
     * answer was lost (it expired and another node took it).
     */
    public List<Lease> renew(String nodeId, long leaseMillis) {
        return database.withConnection(c -> {
            long now = now(c);
            Sql.update(c, "UPDATE shard_leases SET expires_at = ? WHERE owner = ?", now + leaseMillis, nodeId);
            return Sql.query(c, "SELECT number, shard, owner, epoch, expires_at FROM shard_leases WHERE owner = ? "
                    + "ORDER BY number, shard", row -> new Lease(row.getString(1), row.getInt(2), row.getString(3),
                    row.getLong(4), row.getLong(5) - now), nodeId);
        });
    }

    /**
     * Takes the lease if it is free or expired, with the next epoch; empty when another node holds it (or took it
     * first: the update is conditional, so two nodes can never both win). Empty too, the lease handed back at once,
     * when the number no longer has {@code shards} leases: it was re-sharded since the caller looked, and a shard
     * started on the old count would log in over the new one.
     */
    public Optional<Lease> acquire(String number, int shard, int shards, String nodeId, long leaseMillis) {
        return database.withConnection(c -> {
            long now = now(c);
            int taken = Sql.update(c, "UPDATE shard_leases SET owner = ?, epoch = epoch + 1, expires_at = ? "
                    + "WHERE number = ? AND shard = ? AND (owner IS NULL OR expires_at < ?)",
                    nodeId, now + leaseMillis, number, shard, now);
            if (taken == 0) return Optional.empty();
            Optional<Lease> lease = Sql.queryOne(c, "SELECT epoch FROM shard_leases WHERE number = ? AND shard = ? "
                    + "AND owner = ?", row -> new Lease(number, shard, nodeId, row.getLong(1), leaseMillis), number, shard, nodeId);
            long count = Sql.queryOne(c, "SELECT COUNT(*) FROM shard_leases WHERE number = ?", row -> row.getLong(1),
                    number).orElse(0L);
            if (count == shards) return lease;
            if (lease.isPresent()) release(c, number, shard, nodeId, lease.get().epoch());
            return Optional.empty();
        });
    }

    /** Hands the lease back (to balance the cluster): free at once for another node, at the next epoch. */
    public void release(String number, int shard, String nodeId, long epoch) {
        database.withConnection(c -> release(c, number, shard, nodeId, epoch));
    }

    private static int release(Connection c, String number, int shard, String nodeId, long epoch) throws SQLException {
        return Sql.update(c, "UPDATE shard_leases SET owner = NULL, expires_at = 0 "
                + "WHERE number = ? AND shard = ? AND owner = ? AND epoch = ?", number, shard, nodeId, epoch);
    }

    /** The owner a re-shard writes over a number's leases: no node renews or takes them meanwhile. */
    private static final String RESHARDING = "~resharding";

    /**
     * Takes every lease of the number away from its owner for {@code millis}: each owner finds at its next renewal
     * that it lost its shard and stops, and no node can take one until the re-shard ends (or, if the node doing it
     * dies, until the time is up).
     */
    public void block(String number, long millis) {
        database.withConnection(c -> Sql.update(c, "UPDATE shard_leases SET owner = ?, epoch = epoch + 1, expires_at = ? "
                + "WHERE number = ?", RESHARDING, now(c) + millis, number));
    }

    /**
     * Keeps a re-shard's hold on the number's leases for {@code millis} more (nothing once {@link #reset} replaced
     * them): the node doing it renews the hold while it works, so a long move keeps the number stopped everywhere,
     * and if that node dies the hold runs out.
     */
    public void extendBlock(String number, long millis) {
        database.withConnection(c -> Sql.update(c, "UPDATE shard_leases SET expires_at = ? WHERE number = ? AND owner = ?",
                now(c) + millis, number, RESHARDING));
    }

    /**
     * After a re-shard, to run in its transaction: one free lease a shard of the new count, each at an epoch above any
     * the number had. The old rows are locked first: a node taking an old lease meanwhile waits, then finds it gone.
     */
    public Sql.Work<Void> reset(String number, int shards) {
        return c -> {
            long epoch = Sql.query(c, "SELECT epoch FROM shard_leases WHERE number = ? FOR UPDATE", row -> row.getLong(1),
                    number).stream().mapToLong(Long::longValue).max().orElse(0L);
            Sql.update(c, "DELETE FROM shard_leases WHERE number = ?", number);
            for (int shard = 0; shard < shards; shard++) {
                Sql.update(c, "INSERT INTO shard_leases (number, shard, owner, epoch, expires_at) VALUES (?, ?, NULL, ?, 0)",
                        number, shard, epoch);
            }
            return null;
        };
    }

    private long now(Connection c) throws SQLException {
        return database.nowMillis(c);
    }
}
