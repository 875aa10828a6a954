package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Deleted numbers and projects. Deleting one takes it out of the store's lists in one transaction (its row, its
 * settings, its shard leases, a project's tokens), so it is gone for every node at once; what it stored (messages,
 * contacts, groups, media, usage) stays until the retention sweeper ({@link Retention}) removes it, a small batch at a
 * time, and then deletes the tombstone. A number with a tombstone cannot be added again meanwhile.
 */
public final class Tombstones {
    public static final String NUMBER = "n";
    public static final String PROJECT = "p";
    private final Database database;

    public Tombstones(Database database) {
        this.database = database;
    }

    /** A deleted number ({@code kind} {@link #NUMBER}, {@code name} the number) or project (its id). */
    public record Tombstone(String kind, String name, String projectId, long deletedAt) {}

    /** Deletes the project's number; false when the project has no such number. */
    public boolean deleteNumber(String projectId, String number, long now) {
        return database.inTransaction(c -> deleteNumber(c, projectId, number, now));
    }

    private static boolean deleteNumber(Connection c, String projectId, String number, long now) throws SQLException {
        if (Sql.update(c, "DELETE FROM numbers WHERE number = ? AND project_id = ?", number, projectId) == 0) return false;
        Sql.update(c, "INSERT INTO tombstones (kind, name, project_id, deleted_at) VALUES (?, ?, ?, ?)",
                NUMBER, number, projectId, now);
        // Its owners find their leases gone at the next renewal and stop its shards.
        Sql.update(c, "DELETE FROM shard_leases WHERE number = ?", number);
        Sql.update(c, "DELETE FROM handoffs WHERE number = ?", number);
        Sql.update(c, "DELETE FROM number_upstreams WHERE number = ?", number);
        Sql.update(c, "DELETE FROM business_profiles WHERE number = ?", number);
        return true;
    }

    /**
     * Deletes the project, its tokens (refused from now on) and its numbers (answered, for their shards to be
     * stopped); empty when there is no such project.
     */
    public java.util.Optional<List<String>> deleteProject(String projectId, long now) {
        return database.inTransaction(c -> {
            List<String> numbers = Sql.query(c, "SELECT number FROM numbers WHERE project_id = ? ORDER BY number",
                    row -> row.getString(1), projectId);
            if (Sql.update(c, "DELETE FROM projects WHERE id = ?", projectId) == 0) return java.util.Optional.empty();
            Sql.update(c, "DELETE FROM api_tokens WHERE project_id = ?", projectId);
            Sql.update(c, "INSERT INTO tombstones (kind, name, project_id, deleted_at) VALUES (?, ?, ?, ?)",
                    PROJECT, projectId, projectId, now);
            for (String number : numbers) deleteNumber(c, projectId, number, now);
            return java.util.Optional.of(numbers);
        });
    }

    /** Every tombstone, oldest first (numbers before their project's, which follows once they are swept). */
    public List<Tombstone> all() {
        return database.withConnection(c -> Sql.query(c, "SELECT kind, name, project_id, deleted_at FROM tombstones "
                + "ORDER BY deleted_at, kind, name", row -> new Tombstone(row.getString(1), row.getString(2),
                row.getString(3), row.getLong(4))));
    }

    /** The data is swept: the name may be used again. */
    void remove(Tombstone tombstone) {
        database.withConnection(c -> Sql.update(c, "DELETE FROM tombstones WHERE kind = ? AND name = ?",
                tombstone.kind(), tombstone.name()));
    }
}
