package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Business numbers, each owned by one project. */
public final class Numbers {
    private static final String COLUMNS = "number, project_id, tps, shards, delivery_reports, data_key, created_at";
    private final Database database;

    public Numbers(Database database) {
        this.database = database;
    }

    /**
     * Adds the number, or answers empty when it already exists (in any project) or was deleted and its data is not
     * swept yet ({@link Tombstones}).
     */
    public Optional<BusinessNumber> create(BusinessNumber number) {
        int inserted = database.inTransaction(c -> {
            if (Sql.queryOne(c, "SELECT 1 FROM tombstones WHERE kind = ? AND name = ?", row -> true,
                    Tombstones.NUMBER, number.number()).isPresent()) {
                return 0;
            }
            return Sql.update(c, database.dialect().insertIgnore("numbers (" + COLUMNS + ")", "(?, ?, ?, ?, ?, ?, ?)"),
                    number.number(), number.projectId(), number.tps(), number.shards(), number.deliveryReports(),
                    number.wrappedDataKey(), number.createdAt());
        });
        return inserted == 1 ? Optional.of(number) : Optional.empty();
    }

    /**
     * Saves the number's TPS budget and whether it wants delivery reports; its project, shards and key never change.
     * False when the project has no such number.
     */
    public boolean update(BusinessNumber number) {
        int updated = database.withConnection(c -> Sql.update(c,
                "UPDATE numbers SET tps = ?, delivery_reports = ? WHERE number = ? AND project_id = ?",
                number.tps(), number.deliveryReports(), number.number(), number.projectId()));
        return updated == 1;
    }

    /**
     * Changes the number's shard count and, in the same transaction, moves its queued outgoing messages and its
     * incoming messages still owed to the Webhook to their shard under the new count ({@code shardOf} a user), forgets
     * its handoffs (each shard's next owner reads its queued messages itself), and runs {@code alsoCommit} (a cluster's
     * new leases: the count and the leases never disagree, whenever the node doing it dies). Its shards must be
     * stopped. A node that has not seen the change yet may still store messages for the old shards: their takers
     * re-route them.
     */
    public void reshard(String number, int shards, java.util.function.ToIntFunction<String> shardOf, Sql.Work<?> alsoCommit) {
        database.inTransaction(c -> {
            Sql.update(c, "UPDATE numbers SET shards = ? WHERE number = ?", shards, number);
            // Handoffs first: every message whose handoff goes is then among the moved ones, on MariaDB's
            // snapshot too; one stored meanwhile keeps its handoff, and its taker re-routes it.
            Sql.update(c, "DELETE FROM handoffs WHERE number = ?", number);
            List<Object[]> moves = Sql.query(c, "SELECT id, peer FROM messages WHERE number = ? "
                    + "AND ((direction = 'o' AND status_rank = 0) OR hook_state = 1)",
                    row -> new Object[] {shardOf.applyAsInt(row.getString(2)), row.getLong(1)}, number);
            try (var update = c.prepareStatement("UPDATE messages SET shard = ? WHERE id = ?")) {
                for (int i = 0; i < moves.size(); i++) {
                    Sql.bind(update, moves.get(i));
                    update.addBatch();
                    if (i % 1_000 == 999) update.executeBatch();
                }
                update.executeBatch();
            }
            return alsoCommit.run(c);
        });
    }

    public Optional<BusinessNumber> find(String number) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM numbers WHERE number = ?", Numbers::map, number));
    }

    /** The project's numbers after {@code after} (null: from the first), in order, at most {@code limit}. */
    public List<BusinessNumber> page(String projectId, String after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM numbers WHERE project_id = ? "
                + "AND number > ? ORDER BY number LIMIT " + limit, Numbers::map, projectId, after == null ? "" : after));
    }

    public List<BusinessNumber> all() {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM numbers ORDER BY number", Numbers::map));
    }

    private static BusinessNumber map(ResultSet row) throws SQLException {
        return new BusinessNumber(row.getString("number"), row.getString("project_id"), row.getInt("tps"),
                row.getInt("shards"), row.getInt("delivery_reports") == 1, row.getBytes("data_key"),
                row.getLong("created_at"));
    }
}
