package io.switchboard.store.testing;

import java.nio.file.Path;
import io.switchboard.store.db.ScratchStores;
import java.sql.SQLException;
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
        if (kind == Kind.EMBEDDED) {
            String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            return new TestStore(kind, "jdbc:sqlite:" + tempDir.resolve(name + ".db"), null, null, () -> {});
        }
        String server = kind == Kind.POSTGRESQL ? POSTGRES_URL : MARIADB_URL;
        String user = kind == Kind.POSTGRESQL ? POSTGRES_USER : MARIADB_USER;
        try {
            ScratchStores.Scratch scratch = ScratchStores.create(server, user, null);
            return new TestStore(kind, scratch.url(), user, null, scratch);
        } catch (SQLException e) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " is not reachable at " + server + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(reason + ": CI needs it running", e);
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }
}
