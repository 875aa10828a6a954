package io.switchboard.app.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the drill's own: its own data folder ({@code mariadb-install-db}), port, socket and pid
 * file, root without a password on loopback; stopped with SIGTERM (a clean shutdown) and started again on the same
 * files; its folder removed at the end.
 */
final class PrivateMariaDb implements RestartableDatabase {
    private static final long START_LIMIT_MS = 60_000;
    private final Path folder;
    private final int port;
    private Process server;

    private PrivateMariaDb(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    static PrivateMariaDb create() throws Exception {
        PrivateMariaDb db = new PrivateMariaDb(Files.createTempDirectory("switchboard-mariadb"), NodeProcess.freePort());
        try {
            Commands.run("mariadb-install-db", "--no-defaults", "--datadir=" + db.folder.resolve("data"), "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db");
            db.start();
            try (var connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + db.port + "/", "root", null)) {
                connection.createStatement().execute("CREATE DATABASE switchboard");
            }
            return db;
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/switchboard";
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public void start() throws IOException, InterruptedException {
        server = new ProcessBuilder("mariadbd", "--no-defaults", "--datadir=" + folder.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + folder.resolve("mariadb.sock"),
                "--pid-file=" + folder.resolve("mariadb.pid"), "--user=root", "--log-error=" + folder.resolve("error.log"))
                .redirectErrorStream(true).redirectOutput(folder.resolve("server.out").toFile()).start();
        long deadline = System.currentTimeMillis() + START_LIMIT_MS;
        while (!listening()) {
            if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("mariadbd did not start: " + Files.readString(folder.resolve("error.log")));
            }
            Thread.sleep(100);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (server == null) return;
        server.destroy(); // SIGTERM: MariaDB shuts down cleanly
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        Folders.delete(folder);
    }
}
