package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Projects and their settings; their tokens are {@link ApiTokens}. */
public final class Projects {
    private static final String COLUMNS = "id, name, webhook_url, event_webhook_url, events_enabled, webhook_format, "
            + "webhook_concurrency, webhook_rate, created_at, retention_days";
    private final Database database;

    public Projects(Database database) {
        this.database = database;
    }

    /**
     * Stores a new project, its first token ({@link ApiToken#first}, every scope; {@code tokenHash} is the token's
     * SHA-256) and its first signing secret (sealed), in one transaction.
     */
    public Project create(Project project, String tokenHash, byte[] sealedSecret) {
        database.inTransaction(c -> {
            // token_hash is a legacy column (see V4__management.sql): it holds the id, tokens are in api_tokens.
            Sql.update(c, "INSERT INTO projects (" + COLUMNS + ", token_hash, webhook_secret, changed_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + database.dialect().nowMillis() + ")",
                    project.id(), project.name(), project.webhookUrl(), project.eventWebhookUrl(), project.eventsEnabled(),
                    project.webhookFormat(), project.webhookConcurrency(), project.webhookRate(), project.createdAt(),
                    project.retentionDays(), project.id(), sealedSecret);
            ApiTokens.insert(c, ApiToken.first(project.id(), project.createdAt()), tokenHash);
            return null;
        });
        return project;
    }

    /** Saves the project's name, webhook settings and retention. */
    public Project update(Project project) {
        database.withConnection(c -> Sql.update(c,
                "UPDATE projects SET name = ?, webhook_url = ?, event_webhook_url = ?, events_enabled = ?, "
                        + "webhook_format = ?, webhook_concurrency = ?, webhook_rate = ?, retention_days = ?, changed_at = "
                        + database.dialect().nowMillis() + " WHERE id = ?",
                project.name(), project.webhookUrl(), project.eventWebhookUrl(), project.eventsEnabled(),
                project.webhookFormat(), project.webhookConcurrency(), project.webhookRate(), project.retentionDays(),
                project.id()));
        return project;
    }

    /** The project's signing secrets, sealed; empty for an unknown project. {@code current} is null until set. */
    public Optional<SealedSecrets> secrets(String id) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT webhook_secret, webhook_previous_secret, webhook_previous_until FROM projects WHERE id = ?",
                row -> new SealedSecrets(row.getBytes(1), row.getBytes(2), row.getLong(3)), id));
    }

    /** Makes {@code sealedSecret} the current secret; the old one (if any) keeps signing until {@code previousUntil}. */
    public void rotateSecret(String id, byte[] sealedSecret, long previousUntil) {
        database.withConnection(c -> Sql.update(c,
                "UPDATE projects SET webhook_previous_secret = webhook_secret, webhook_previous_until = ?, "
                        + "webhook_secret = ?, changed_at = " + database.dialect().nowMillis() + " WHERE id = ?",
                previousUntil, sealedSecret, id));
    }

    /** Projects whose settings or secret changed after {@code since}, and the latest change among them (or since). */
    public record Changes(List<Project> projects, long latest) {}

    /** The projects that changed after {@code since} (the database's clock, epoch ms). */
    public Changes changedSince(long since) {
        List<Map.Entry<Project, Long>> rows = database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS
                + ", changed_at FROM projects WHERE changed_at > ? ORDER BY changed_at",
                row -> Map.entry(map(row), row.getLong("changed_at")), since));
        return new Changes(rows.stream().map(Map.Entry::getKey).toList(),
                rows.isEmpty() ? since : rows.getLast().getValue());
    }

    public Optional<Project> byId(String id) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM projects WHERE id = ?", Projects::map, id));
    }

    public List<Project> all() {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM projects ORDER BY id", Projects::map));
    }

    /** The projects with an id after {@code after} (null: from the first), by id, at most {@code limit} of them. */
    public List<Project> page(String after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM projects WHERE id > ? ORDER BY id LIMIT "
                + limit, Projects::map, after == null ? "" : after));
    }

    /** The columns {@link #map} reads, qualified by a table alias for a join. */
    static String columns(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static Integer retentionDays(ResultSet row) throws SQLException {
        int days = row.getInt("retention_days");
        return row.wasNull() ? null : days;
    }

    static Project map(ResultSet row) throws SQLException {
        return new Project(row.getString("id"), row.getString("name"), row.getString("webhook_url"),
                row.getString("event_webhook_url"), row.getInt("events_enabled") == 1, row.getString("webhook_format"),
                row.getInt("webhook_concurrency"), row.getInt("webhook_rate"), row.getLong("created_at"),
                retentionDays(row));
    }
}
