package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Project tokens, found by the SHA-256 of the token. Making and revoking one first locks its project's row, so two
 * nodes sharing the store cannot together pass the per-project limit or revoke a project's last admin token.
 */
public final class ApiTokens {
    /** Tokens a project may hold at once: bounds what each node keeps per token (its cache entry, its rate bucket). */
    public static final int MAX_PER_PROJECT = 100;
    private static final String COLUMNS = "t.id AS token_id, t.project_id AS token_project, t.name AS token_name, "
            + "t.scopes, t.created_at AS token_created_at, t.last_used_at";

    private final Database database;

    public ApiTokens(Database database) {
        this.database = database;
    }

    /** A token together with the project it opens. */
    public record Credential(ApiToken token, Project project) {}

    public enum Revocation { REVOKED, NOT_FOUND, LAST_ADMIN }

    /** The token with this hash and its project; empty when there is none (never made, or revoked). */
    public Optional<Credential> find(String tokenHash) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT " + COLUMNS + ", " + Projects.columns("p")
                        + " FROM api_tokens t JOIN projects p ON p.id = t.project_id WHERE t.token_hash = ?",
                row -> new Credential(map(row), Projects.map(row)), tokenHash));
    }

    /** Stores a new token of an existing project; false when the project already holds {@link #MAX_PER_PROJECT}. */
    public boolean create(ApiToken token, String tokenHash) {
        return database.inTransaction(c -> {
            lockProject(c, token.projectId());
            long held = Sql.queryOne(c, "SELECT COUNT(*) FROM api_tokens WHERE project_id = ?", row -> row.getLong(1),
                    token.projectId()).orElse(0L);
            if (held >= MAX_PER_PROJECT) return false;
            insert(c, token, tokenHash);
            return true;
        });
    }

    /** The project's tokens with ids above {@code after} (null: from the first), oldest first, at most {@code limit}. */
    public List<ApiToken> page(String projectId, String after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM api_tokens t "
                + "WHERE t.project_id = ? AND t.id > ? ORDER BY t.id LIMIT " + limit, ApiTokens::map,
                projectId, after == null ? "" : after));
    }

    /**
     * Deletes one of the project's tokens. The project's last token with the admin scope stays: without it nobody
     * could make or revoke the project's tokens again.
     */
    public Revocation revoke(String projectId, String tokenId) {
        return database.inTransaction(c -> {
            lockProject(c, projectId);
            List<ApiToken> admins = Sql.query(c, "SELECT " + COLUMNS + " FROM api_tokens t WHERE t.project_id = ?",
                    ApiTokens::map, projectId).stream().filter(t -> t.allows(Scope.ADMIN)).toList();
            boolean lastAdmin = admins.size() == 1 && admins.getFirst().id().equals(tokenId);
            if (lastAdmin) return Revocation.LAST_ADMIN;
            int deleted = Sql.update(c, "DELETE FROM api_tokens WHERE id = ? AND project_id = ?", tokenId, projectId);
            return deleted == 1 ? Revocation.REVOKED : Revocation.NOT_FOUND;
        });
    }

    /** Records that the token was used at {@code at}, unless a later use is recorded already. */
    public void touch(String tokenId, long at) {
        database.withConnection(c -> Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? "
                + "AND (last_used_at IS NULL OR last_used_at < ?)", at, tokenId, at));
    }

    static void insert(Connection c, ApiToken token, String tokenHash) throws SQLException {
        Sql.update(c, "INSERT INTO api_tokens (id, project_id, name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                token.id(), token.projectId(), token.name(), tokenHash, Scope.join(token.scopes()), token.createdAt());
    }

    /** A no-op write on the project's row: held until commit, it orders every token change of the project. */
    private static void lockProject(Connection c, String projectId) throws SQLException {
        Sql.update(c, "UPDATE projects SET name = name WHERE id = ?", projectId);
    }

    private static ApiToken map(ResultSet row) throws SQLException {
        return new ApiToken(row.getString("token_id"), row.getString("token_project"), row.getString("token_name"),
                Scope.split(row.getString("scopes")), row.getLong("token_created_at"), Sql.nullableLong(row, "last_used_at"));
    }
}
