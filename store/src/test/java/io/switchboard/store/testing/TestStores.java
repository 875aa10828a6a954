package io.switchboard.store.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, empty stores for tests: the embedded one in a temporary folder, and a new schema (PostgreSQL) or
 * database (MariaDB) on the machine's running servers, dropped afterwards. A server that is down skips its tests
 * with a visible reason, except in CI ({@code CI=true}), where it fails them.
 */
public final class TestStores {
    public static final String POSTGRES_URL = System.getProperty("sb.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRES_USER = System.getProperty("sb.test.postgres.user", "postgres");
    public static final String MARIADB_URL = System.getProperty("sb.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/test");
    public static final String MARIADB_USER = System.getProperty("sb.test.mariadb.user", "root");

    public enum Kind { EMBEDDED, POSTGRESQL, MARIADB }

    /** A store for one test: its JDBC settings, and a close that drops it. */
    public record TestStore(Kind kind, String url, String user, String password, AutoCloseable drop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            drop.close();
        }
    }

    private TestStores() {}

    public static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    public static TestStore open(Kind kind, Path tempDir) {
        String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return switch (kind) {
            case EMBEDDED -> new TestStore(kind, "jdbc:sqlite:" + tempDir.resolve(name + ".db"), null, null, () -> {});
            case POSTGRESQL -> {
                execute(kind, POSTGRES_URL, POSTGRES_USER, "CREATE SCHEMA " + name);
                yield new TestStore(kind, POSTGRES_URL + "?currentSchema=" + name, POSTGRES_USER, null,
                        () -> execute(kind, POSTGRES_URL, POSTGRES_USER, "DROP SCHEMA " + name + " CASCADE"));
            }
            case MARIADB -> {
                execute(kind, MARIADB_URL, MARIADB_USER, "CREATE DATABASE " + name);
                yield new TestStore(kind, MARIADB_URL.replaceAll("/[^/]*$", "/" + name), MARIADB_USER, null,
                        () -> execute(kind, MARIADB_URL, MARIADB_USER, "DROP DATABASE " + name));
            }
        };
    }

    private static void execute(Kind kind, String url, String user, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, null);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " is not reachable at " + url + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(reason + ": CI needs it running", e);
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }
}
