package io.switchboard.store;

import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.crypto.Digests;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Media files in the store, in sealed chunks of {@value #CHUNK_BYTES} bytes (see V6__media.sql), so that every
 * node of a cluster reads them and no row comes near MariaDB's packet limit. Every read names the project, so
 * another project's media reads as missing.
 */
public final class MediaFiles {
    public static final int CHUNK_BYTES = 1 << 20;
    /** How long a file being written may take before it counts as abandoned (its node died) and is swept. */
    public static final java.time.Duration PENDING = java.time.Duration.ofHours(1);
    private static final int PENDING_CHUNKS = -1;
    private static final String COLUMNS = "id, project_id, number, mime_type, size_bytes, sha256, filename, chunks, "
            + "created_at, expires_at";
    private final Database database;

    /** A file to store: everything but what its content tells (size, hash, chunks). */
    public record Upload(long id, String projectId, String number, String mimeType, String filename, long createdAt,
                         long expiresAt) {}

    /** The content was longer than its limit; nothing was stored. */
    public static final class TooLarge extends RuntimeException {
        private final long limit;

        TooLarge(long limit) {
            super("larger than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    public MediaFiles(Database database) {
        this.database = database;
    }

    /**
     * Reads {@code content} to its end, sealing and storing it chunk by chunk. {@code limitOf} gives the largest
     * size allowed, from the first chunk (a sticker's limit depends on whether its header says it is animated).
     * Each chunk is its own short write, so a slow source never holds a transaction open (on the embedded store,
     * the one write lock): the file is written as pending, read as missing until its last chunk is in, and swept
     * after {@link #PENDING} if the node died meanwhile. A file refused half way is deleted at once.
     *
     * @throws TooLarge when the content is longer than that
     */
    public MediaFile store(Upload upload, DataKey key, InputStream content, ToLongFunction<byte[]> limitOf) {
        long id = upload.id();
        database.withConnection(c -> Sql.update(c, "INSERT INTO media (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, upload.projectId(), upload.number(), upload.mimeType(), 0L, "", upload.filename(), PENDING_CHUNKS,
                upload.createdAt(), upload.createdAt() + PENDING.toMillis()));
        try {
            MessageDigest sha256 = Digests.sha256();
            long size = 0;
            long limit = Long.MAX_VALUE;
            int seq = 0;
            byte[] chunk;
            while ((chunk = read(content)).length > 0) {
                if (seq == 0) limit = limitOf.applyAsLong(chunk);
                size += chunk.length;
                if (size > limit) throw new TooLarge(limit);
                sha256.update(chunk);
                byte[] sealed = key.sealChunk(id, seq, chunk);
                int at = seq;
                database.withConnection(c -> Sql.update(c, "INSERT INTO media_chunks (media_id, seq, data) VALUES (?, ?, ?)",
                        id, at, sealed));
                seq++;
            }
            MediaFile file = new MediaFile(id, upload.projectId(), upload.number(), upload.mimeType(), size,
                    HexFormat.of().formatHex(sha256.digest()), upload.filename(), seq, upload.createdAt(),
                    upload.expiresAt());
            int done = database.withConnection(c -> Sql.update(c, "UPDATE media SET size_bytes = ?, sha256 = ?, "
                    + "chunks = ?, expires_at = ? WHERE id = ?", file.size(), file.sha256(), file.chunks(),
                    file.expiresAt(), id));
            if (done == 0) throw new IllegalStateException("media " + id + " took longer than " + PENDING + " to store and was swept");
            return file;
        } catch (RuntimeException e) {
            delete(upload.projectId(), id);
            throw e;
        }
    }

    /** How many bytes the project's media still kept at {@code now} take (their plaintext size). */
    public long storedBytes(String projectId, long now) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT COALESCE(SUM(size_bytes), 0) FROM media "
                + "WHERE project_id = ? AND expires_at > ?", row -> row.getLong(1), projectId, now)).orElse(0L);
    }

    /** The project's media file, unless it does not exist or expired before {@code now}. */
    public Optional<MediaFile> find(String projectId, long id, long now) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT " + COLUMNS + " FROM media WHERE id = ? "
                + "AND project_id = ? AND expires_at > ? AND chunks >= 0", MediaFiles::map, id, projectId, now));
    }

    /** Any project's media file by id (for a signed URL), unless it does not exist or expired. */
    public Optional<MediaFile> find(long id, long now) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT " + COLUMNS + " FROM media WHERE id = ? "
                + "AND expires_at > ? AND chunks >= 0", MediaFiles::map, id, now));
    }

    /** One sealed chunk of a file found before; read one at a time, so a large file never sits whole in memory. */
    public byte[] sealedChunk(long mediaId, int seq) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT data FROM media_chunks WHERE media_id = ? AND seq = ?",
                row -> row.getBytes(1), mediaId, seq)).orElseThrow(() -> new IllegalStateException(
                        "chunk " + seq + " of media " + mediaId + " is missing: the media was deleted while read"));
    }

    /** Deletes the project's media file; false when it has none of that id. */
    public boolean delete(String projectId, long id) {
        return database.inTransaction(c -> {
            if (Sql.update(c, "DELETE FROM media WHERE id = ? AND project_id = ?", id, projectId) == 0) return false;
            Sql.update(c, "DELETE FROM media_chunks WHERE media_id = ?", id);
            Sql.update(c, "DELETE FROM upstream_media WHERE media_id = ?", id);
            return true;
        });
    }

    /**
     * Deletes every file that expired by {@code now}, and every pending one abandoned for {@link #PENDING}; answers
     * how many. Chunks go first, with the same cutoff, so no file loses its row while keeping chunks.
     */
    public int sweep(long now) {
        return database.inTransaction(c -> {
            Sql.update(c, "DELETE FROM media_chunks WHERE media_id IN (SELECT id FROM media WHERE expires_at <= ?)", now);
            Sql.update(c, "DELETE FROM upstream_media WHERE media_id IN (SELECT id FROM media WHERE expires_at <= ?)", now);
            return Sql.update(c, "DELETE FROM media WHERE expires_at <= ?", now);
        });
    }

    private static byte[] read(InputStream content) {
        try {
            return content.readNBytes(CHUNK_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the media: " + e.getMessage(), e);
        }
    }


    private static MediaFile map(ResultSet row) throws SQLException {
        return new MediaFile(row.getLong("id"), row.getString("project_id"), row.getString("number"),
                row.getString("mime_type"), row.getLong("size_bytes"), row.getString("sha256"), row.getString("filename"),
                row.getInt("chunks"), row.getLong("created_at"), row.getLong("expires_at"));
    }
}
