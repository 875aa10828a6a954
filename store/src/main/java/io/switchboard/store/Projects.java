package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Projects and their token hashes. */
public final class Projects {
    private static final String COLUMNS = "id, name, webhook_url, event_webhook_url, events_enabled, created_at";
    private final Database database;

    public Projects(Database database) {
        this.database = database;
    }

    public Project create(Project project, String tokenHash) {
        database.withConnection(c -> Sql.update(c,
                "INSERT INTO projects (" + COLUMNS + ", token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                project.id(), project.name(), project.webhookUrl(), project.eventWebhookUrl(), project.eventsEnabled(),
                project.createdAt(), tokenHash));
        return project;
    }

    /** Saves the project's name and webhook settings. */
    public Project update(Project project) {
        database.withConnection(c -> Sql.update(c,
                "UPDATE projects SET name = ?, webhook_url = ?, event_webhook_url = ?, events_enabled = ? WHERE id = ?",
                project.name(), project.webhookUrl(), project.eventWebhookUrl(), project.eventsEnabled(), project.id()));
        return project;
    }

    public Optional<Project> byTokenHash(String tokenHash) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM projects WHERE token_hash = ?", Projects::map, tokenHash));
    }

    public Optional<Project> byId(String id) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM projects WHERE id = ?", Projects::map, id));
    }

    public List<Project> all() {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM projects ORDER BY id", Projects::map));
    }

    private static Project map(ResultSet row) throws SQLException {
        return new Project(row.getString("id"), row.getString("name"), row.getString("webhook_url"),
                row.getString("event_webhook_url"), row.getInt("events_enabled") == 1, row.getLong("created_at"));
    }
}
