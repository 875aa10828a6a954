package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.util.Optional;

/** The ids Meta gave our media files when a number on Meta's Cloud API uploaded them, so each goes up once. */
public final class UpstreamMediaIds {
    private final Database database;

    public UpstreamMediaIds(Database database) {
        this.database = database;
    }

    /** Meta's id of the file for the number, if it was uploaded at or after {@code uploadedSince}. */
    public Optional<String> find(long mediaId, String number, long uploadedSince) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT meta_id FROM upstream_media WHERE media_id = ? "
                + "AND number = ? AND uploaded_at >= ?", row -> row.getString(1), mediaId, number, uploadedSince));
    }

    /** Keeps Meta's id of the file for the number, replacing an older one. */
    public void put(long mediaId, String number, String metaId, long uploadedAt) {
        database.inTransaction(c -> {
            Sql.update(c, "DELETE FROM upstream_media WHERE media_id = ? AND number = ?", mediaId, number);
            return Sql.update(c, "INSERT INTO upstream_media (media_id, number, meta_id, uploaded_at) VALUES (?, ?, ?, ?)",
                    mediaId, number, metaId, uploadedAt);
        });
    }
}
