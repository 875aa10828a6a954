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

    /** Adds the number, or answers empty when it already exists (in any project). */
    public Optional<BusinessNumber> create(BusinessNumber number) {
        int inserted = database.withConnection(c -> Sql.update(c,
                database.dialect().insertIgnore("numbers (" + COLUMNS + ")", "(?, ?, ?, ?, ?, ?, ?)"),
                number.number(), number.projectId(), number.tps(), number.shards(), number.deliveryReports(),
                number.wrappedDataKey(), number.createdAt()));
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
