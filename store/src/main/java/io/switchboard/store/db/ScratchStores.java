package io.switchboard.store.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh, empty stores on a database server, for tests and benchmarks: a new schema on PostgreSQL or a new database
 * on MariaDB/MySQL, dropped when closed, so a run never meets the data of another.
 */
public final class ScratchStores {
    private ScratchStores() {}

    /** A scratch store: the JDBC URL to use, its user and password, and the drop that {@link #close} runs. */
    public record Scratch(String url, String user, String password, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }

    /**
     * Makes a scratch store on the server {@code serverUrl} points at (its database or schema part is replaced).
     *
     * @throws SQLException when the server cannot be reached or refuses to make it
     */
    public static Scratch create(String serverUrl, String user, String password) throws SQLException {
        String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return switch (Dialect.of(serverUrl)) {
            case POSTGRESQL -> {
                execute(serverUrl, user, password, "CREATE SCHEMA " + name);
                String base = serverUrl.replaceAll("\\?.*$", "");
                yield new Scratch(base + "?currentSchema=" + name, user, password,
                        () -> quietly(serverUrl, user, password, "DROP SCHEMA " + name + " CASCADE"));
            }
            case MARIADB -> {
                execute(serverUrl, user, password, "CREATE DATABASE " + name);
                yield new Scratch(serverUrl.replaceAll("/[^/?]*(\\?.*)?$", "/" + name + "$1"), user, password,
                        () -> quietly(serverUrl, user, password, "DROP DATABASE " + name));
            }
            case SQLITE -> throw new IllegalArgumentException("a scratch store is made on a PostgreSQL or MariaDB server");
        };
    }

    private static void execute(String url, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void quietly(String url, String user, String password, String sql) {
        try {
            execute(url, user, password, sql);
        } catch (SQLException e) {
            System.err.println("could not drop a scratch store (" + sql + "): " + e.getMessage());
        }
    }
}
