package io.switchboard.app.backup;

import io.switchboard.app.config.NodeConfig;
import io.switchboard.store.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import org.sqlite.SQLiteErrorCode;

/** The embedded store as files, as {@code backup} and {@code restore} see it: one SQLite file and its WAL beside it. */
final class EmbeddedStoreFile {
    /** What every backup and restore says: the master key is kept apart, and a restore needs it. */
    static final String MASTER_KEY_NOTE = "The master key is not in the backup: keep DATA/master.key (and "
            + "master.key.previous during a rotation), or the master-key setting, apart from it; a restored store opens "
            + "only with the key it was made with.";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private EmbeddedStoreFile() {}

    /** The store file of the configured data folder; refused when the store is PostgreSQL or MariaDB/MySQL. */
    static Path of(NodeConfig config, String command) {
        if (!config.store().embedded()) {
            throw new IllegalArgumentException(command + " is for the embedded store, and this one is " + config.store().dbUrl()
                    .replaceAll("\\?.*$", "") + ": use pg_dump or mariadb-dump (README: Backup and restore)");
        }
        return Database.embeddedFile(config.store().data());
    }

    /** Refuses a file that is not an SQLite database, before anything opens it (SQLite would make an empty one). */
    static void requireSqlite(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(what + " " + file + " does not exist");
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(SQLITE_HEADER.length);
        }
        if (!Arrays.equals(header, SQLITE_HEADER)) {
            throw new IllegalArgumentException(what + " " + file + " is not a Switchboard store (not an SQLite database)");
        }
    }

    /**
     * Refuses a store a node has open: SQLite's exclusive lock, tried without waiting, is not granted while any other
     * connection holds the file (a node's pool keeps its connections open). Taking it changes nothing in the store.
     */
    static void requireUnused(Path file) throws SQLException {
        Properties noWait = new Properties();
        noWait.setProperty("busy_timeout", "0");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), noWait);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA locking_mode=EXCLUSIVE");
            statement.execute("BEGIN EXCLUSIVE");
            statement.execute("COMMIT");
        } catch (SQLException e) {
            if (e.getErrorCode() != SQLiteErrorCode.SQLITE_BUSY.code && e.getErrorCode() != SQLiteErrorCode.SQLITE_LOCKED.code) throw e;
            throw new IllegalArgumentException("a node is using " + file + " (it is locked): stop it, then restore");
        }
    }

    /** The WAL and shared-memory files SQLite keeps beside {@code file}. */
    static void deleteSidecars(Path file) throws IOException {
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
