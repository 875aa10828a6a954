package io.switchboard.app.bench;

import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * A PostgreSQL cluster of the drill's own, made with Debian's tools ({@code pg_createcluster}) on a free port, with
 * trust on loopback, started and stopped with {@code pg_ctlcluster}, and dropped at the end.
 */
record PrivatePostgres(String version, String name, int port) implements RestartableDatabase {

    static PrivatePostgres create() throws Exception {
        String name = "sb_faults_" + UUID.randomUUID().toString().substring(0, 8);
        PrivatePostgres server = new PrivatePostgres(newestVersion(), name, NodeProcess.freePort());
        Commands.run("pg_createcluster", server.version, name, "--port", Integer.toString(server.port),
                "--start-conf", "manual", "--", "--auth-host=trust", "--auth-local=trust");
        try {
            server.start();
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /** The newest PostgreSQL installed (Debian keeps each under /usr/lib/postgresql/VERSION). */
    private static String newestVersion() {
        String[] versions = new File("/usr/lib/postgresql").list();
        if (versions == null || versions.length == 0) throw new IllegalStateException("no PostgreSQL in /usr/lib/postgresql");
        return Arrays.stream(versions).max(Comparator.comparingInt(v -> Integer.parseInt(v.replaceAll("\\D", "0")))).orElseThrow();
    }

    @Override
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public void start() throws Exception {
        pgCtl("start");
    }

    /** A fast shutdown: sessions are cut, open transactions rolled back, as {@code pg_ctlcluster restart} does. */
    @Override
    public void stop() throws Exception {
        pgCtl("stop");
    }

    private void pgCtl(String action) throws Exception {
        Commands.run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, action);
    }

    @Override
    public void close() throws Exception {
        Commands.run("pg_dropcluster", version, name, "--stop");
    }
}
