package io.switchboard.app.bench;

/**
 * A database server of the drill's own, on a port of its own, that it may stop and start again (the machine's
 * shared servers are never touched); closing it stops it and removes its files.
 */
public interface RestartableDatabase extends AutoCloseable {
    /** The JDBC URL of a database on it that the node may use. */
    String url();

    String user();

    void stop() throws Exception;

    void start() throws Exception;

    /** A server of the kind named ({@code postgresql} or {@code mariadb}), made and started. */
    static RestartableDatabase create(String kind) throws Exception {
        return switch (kind) {
            case "postgresql" -> PrivatePostgres.create();
            case "mariadb" -> PrivateMariaDb.create();
            default -> throw new IllegalArgumentException("--database must be postgresql or mariadb, not " + kind);
        };
    }
}
