package io.switchboard.store.db;

import java.util.Locale;
import java.util.Map;

/** What differs between the supported databases; everything else is plain, shared SQL. */
public enum Dialect {
    SQLITE("BLOB", "INSERT OR IGNORE INTO", "", "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"),
    POSTGRESQL("BYTEA", "INSERT INTO", " ON CONFLICT DO NOTHING", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"),
    MARIADB("LONGBLOB", "INSERT IGNORE INTO", "", "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)");

    private final String blobType;
    private final String insertIgnorePrefix;
    private final String insertIgnoreSuffix;
    private final String nowMillis;

    Dialect(String blobType, String insertIgnorePrefix, String insertIgnoreSuffix, String nowMillis) {
        this.blobType = blobType;
        this.insertIgnorePrefix = insertIgnorePrefix;
        this.insertIgnoreSuffix = insertIgnoreSuffix;
        this.nowMillis = nowMillis;
    }

    /**
     * The database server's clock in epoch milliseconds, as SQL: leases are timed by the one clock every node
     * shares, not by the nodes' own.
     */
    public String nowMillis() {
        return nowMillis;
    }

    public static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:sqlite:")) return SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) return MARIADB;
        throw new IllegalArgumentException("db-url: unsupported database '" + jdbcUrl
                + "' (use jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:/jdbc:mysql:)");
    }

    /** An INSERT that silently skips rows whose key already exists (for at-least-once input). */
    public String insertIgnore(String tableAndColumns, String values) {
        return insertIgnorePrefix + " " + tableAndColumns + " VALUES " + values + insertIgnoreSuffix;
    }

    /** Placeholders the shared migrations use for the few types that are spelled differently. */
    public Map<String, String> migrationPlaceholders() {
        // MariaDB names the table in DROP INDEX; the others take the index name alone.
        return Map.of("blob", blobType, "on_messages", this == MARIADB ? " ON messages" : "");
    }

    public boolean embedded() {
        return this == SQLITE;
    }
}
