package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The projects' message templates (for their numbers on the simulated network), by project, name and language. */
public final class MessageTemplates {
    private static final String COLUMNS = "id, project_id, name, language, category, status, components, created_at";
    private final Database database;

    public MessageTemplates(Database database) {
        this.database = database;
    }

    /** Adds the template; false (nothing changed) when the project has one of that name in that language. */
    public boolean add(MessageTemplate template) {
        return database.withConnection(c -> Sql.update(c, database.dialect().insertIgnore(
                        "message_templates (" + COLUMNS + ")", "(?, ?, ?, ?, ?, ?, ?, ?)"), template.id(),
                template.projectId(), template.name(), template.language(), template.category(), template.status(),
                template.components(), template.createdAt())) == 1;
    }

    /**
     * A page of the project's templates in the order they were created, after the one of id {@code afterId} (0: from
     * the first); {@code name} and {@code status}, when not null, keep only those.
     */
    public List<MessageTemplate> page(String projectId, String name, String status, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM message_templates WHERE project_id = ? AND id > ?");
        List<Object> values = new ArrayList<>(List.of(projectId, afterId));
        if (name != null) {
            sql.append(" AND name = ?");
            values.add(name);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            values.add(status);
        }
        sql.append(" ORDER BY id LIMIT ").append(limit);
        return database.withConnection(c -> Sql.query(c, sql.toString(), MessageTemplates::map, values.toArray()));
    }

    /** Every template of the project: what its sends are checked against. */
    public List<MessageTemplate> all(String projectId) {
        return page(projectId, null, null, 0, Integer.MAX_VALUE);
    }

    /** Deletes the project's template of that name in every language; how many there were. */
    public int delete(String projectId, String name) {
        return database.withConnection(c -> Sql.update(c,
                "DELETE FROM message_templates WHERE project_id = ? AND name = ?", projectId, name));
    }

    private static MessageTemplate map(ResultSet row) throws SQLException {
        return new MessageTemplate(row.getLong("id"), row.getString("project_id"), row.getString("name"),
                row.getString("language"), row.getString("category"), row.getString("status"),
                row.getString("components"), row.getLong("created_at"));
    }
}
