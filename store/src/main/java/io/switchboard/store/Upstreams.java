package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The numbers connected to an upstream (Meta's Cloud API) instead of the simulated network. */
public final class Upstreams {
    private static final String COLUMNS = "number, project_id, kind, base_url, api_version, phone_number_id, "
            + "waba_id, access_token, app_secret, verify_token_hash, created_at";
    private final Database database;

    public Upstreams(Database database) {
        this.database = database;
    }

    /**
     * Connects the number to the upstream, replacing what it had. False (nothing changed) when another number
     * already has that phone number id.
     */
    public boolean put(CloudUpstream upstream) {
        return database.inTransaction(c -> {
            Sql.update(c, "DELETE FROM number_upstreams WHERE number = ?", upstream.number());
            int inserted = Sql.update(c, database.dialect().insertIgnore("number_upstreams (" + COLUMNS + ")",
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    upstream.number(), upstream.projectId(), CloudUpstream.KIND, upstream.baseUrl(),
                    upstream.apiVersion(), upstream.phoneNumberId(), upstream.wabaId(), upstream.sealedAccessToken(),
                    upstream.sealedAppSecret(), upstream.verifyTokenHash(), upstream.createdAt());
            if (inserted == 1) return true;
            c.rollback();
            return false;
        });
    }

    /** Connects the number back to the network. */
    public void remove(String number) {
        database.withConnection(c -> Sql.update(c, "DELETE FROM number_upstreams WHERE number = ?", number));
    }

    public Optional<CloudUpstream> find(String number) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM number_upstreams WHERE number = ?", Upstreams::map, number));
    }

    public Optional<CloudUpstream> byPhoneNumberId(String phoneNumberId) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM number_upstreams WHERE phone_number_id = ?", Upstreams::map, phoneNumberId));
    }

    /** The project's connected numbers, by number. */
    public java.util.Map<String, CloudUpstream> ofProject(String projectId) {
        java.util.Map<String, CloudUpstream> found = new java.util.HashMap<>();
        database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM number_upstreams WHERE project_id = ?",
                Upstreams::map, projectId)).forEach(upstream -> found.put(upstream.number(), upstream));
        return found;
    }

    /** Whether some number's webhook handshake takes the verify token with this SHA-256. */
    public boolean knowsVerifyToken(String hash) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT number FROM number_upstreams WHERE verify_token_hash = ?", row -> row.getString(1), hash)).isPresent();
    }

    private static CloudUpstream map(ResultSet row) throws SQLException {
        return new CloudUpstream(row.getString("number"), row.getString("project_id"), row.getString("base_url"),
                row.getString("api_version"), row.getString("phone_number_id"), row.getString("waba_id"),
                row.getBytes("access_token"),
                row.getBytes("app_secret"), row.getString("verify_token_hash"), row.getLong("created_at"));
    }
}
