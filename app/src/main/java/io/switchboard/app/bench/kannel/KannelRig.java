package io.switchboard.app.bench.kannel;

import io.switchboard.app.bench.KeepAliveClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kannel on loopback, as child processes: bearerbox with one fake SMSC link, smsbox (sendsms on its own port, and an
 * sms-service calling a get-url), and fakesmsc as the carrier's side of that link. Everything lives in a temp folder
 * that {@link #close()} deletes after killing the processes.
 */
final class KannelRig implements AutoCloseable {
    static final String SENDSMS_USER = "bench";
    static final String SENDSMS_PASSWORD = "bench";
    private static final String ADMIN_PASSWORD = "bench";
    /** Kannel log level 4 = panic only: no per-message logging in bearerbox and smsbox. */
    private static final String QUIET = "4";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    final Path dir;
    final int adminPort;
    final int boxPort;
    final int smscPort;
    final int sendsmsPort;
    private final Path config;
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::kill, "kannel-rig-shutdown");
    private FakesmscTap tap;

    /** Writes the configuration; {@code getUrl} is the sms-service's get-url, or null for none. */
    KannelRig(String getUrl) throws IOException {
        this.dir = Files.createTempDirectory("switchboard-kannel");
        try {
            int[] ports = freePorts(4);
            adminPort = ports[0];
            boxPort = ports[1];
            smscPort = ports[2];
            sendsmsPort = ports[3];
            config = dir.resolve("kannel.conf");
            Files.writeString(config, config(getUrl));
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IOException | RuntimeException e) {
            deleteDir();
            throw e;
        }
    }

    private String config(String getUrl) {
        StringBuilder c = new StringBuilder();
        c.append("group = core\n")
                .append("admin-port = ").append(adminPort).append('\n')
                .append("admin-interface = 127.0.0.1\n")
                .append("admin-password = ").append(ADMIN_PASSWORD).append('\n')
                .append("admin-allow-ip = 127.0.0.1\n")
                .append("smsbox-port = ").append(boxPort).append('\n')
                .append("smsbox-interface = 127.0.0.1\n")
                .append("box-allow-ip = 127.0.0.1\n")
                .append("box-deny-ip = \"*.*.*.*\"\n")
                .append("log-level = ").append(QUIET).append('\n')
                // No store-type / store-location: Kannel keeps no store (1.4.5 knows no "none"), and no DLR storage.
                .append("\n");
        c.append("group = smsc\n")
                .append("smsc = fake\n")
                .append("smsc-id = FAKE\n")
                .append("host = 127.0.0.1\n")
                .append("port = ").append(smscPort).append('\n')
                .append("connect-allow-ip = 127.0.0.1\n")
                .append("\n");
        c.append("group = smsbox\n")
                .append("bearerbox-host = 127.0.0.1\n")
                .append("bearerbox-port = ").append(boxPort).append('\n')
                .append("sendsms-port = ").append(sendsmsPort).append('\n')
                .append("sendsms-interface = 127.0.0.1\n")
                .append("log-level = ").append(QUIET).append('\n')
                .append("\n");
        c.append("group = sendsms-user\n")
                .append("username = ").append(SENDSMS_USER).append('\n')
                .append("password = ").append(SENDSMS_PASSWORD).append('\n')
                .append("user-allow-ip = 127.0.0.1\n")
                .append("max-messages = 1\n")
                .append("\n");
        if (getUrl != null) {
            c.append("group = sms-service\n")
                    .append("keyword = default\n")
                    .append("catch-all = true\n")
                    .append("max-messages = 1\n")
                    .append("get-url = \"").append(getUrl).append("\"\n")
                    .append("\n");
        }
        return c.toString();
    }

    /** Starts bearerbox and smsbox and waits until smsbox is connected to bearerbox. */
    void startBoxes() throws IOException, InterruptedException {
        start("bearerbox", List.of(KannelBench.binary("bearerbox").orElseThrow(), "-v", QUIET, config.toString()),
                dir.resolve("bearerbox.log"));
        awaitPort(boxPort, "bearerbox");
        start("smsbox", List.of(KannelBench.binary("smsbox").orElseThrow(), "-v", QUIET, config.toString()),
                dir.resolve("smsbox.log"));
        awaitPort(sendsmsPort, "smsbox");
        awaitStatus("smsbox:", "smsbox to connect to bearerbox");
    }

    /**
     * Starts fakesmsc (connecting to bearerbox's fake link) with the given injection arguments ({@code -i}, {@code -m}
     * and messages); for a pure receiver pass {@code -m 0}. Returns the tap counting what it receives.
     */
    FakesmscTap startFakesmsc(List<String> injection) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KannelBench.binary("fakesmsc").orElseThrow(),
                "-H", "127.0.0.1", "-r", String.valueOf(smscPort)));
        command.addAll(injection);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        synchronized (processes) {
            processes.add(process);
        }
        tap = new FakesmscTap(process.getInputStream());
        awaitStatus("FAKE:" + smscPort + " (online", "fakesmsc to connect to bearerbox");
        return tap;
    }

    private void start(String name, List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        synchronized (processes) {
            processes.add(process);
        }
    }

    private void awaitPort(int port, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive(what);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(what + " did not open port " + port + " within " + START_TIMEOUT + diagnostics());
    }

    /** Polls bearerbox's status.txt until it contains {@code needle}. */
    private void awaitStatus(String needle, String what) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/status.txt?password=" + ADMIN_PASSWORD)).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            checkAlive(what);
            try {
                last = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains(needle)) return;
            } catch (IOException notYet) {
                // bearerbox not answering yet
            }
            Thread.sleep(100);
        }
        throw new IOException("timed out waiting for " + what + "; last status:\n" + last + diagnostics());
    }

    /** bearerbox's status.txt (for diagnostics). */
    String status() {
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status.txt?password="
                    + ADMIN_PASSWORD)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "status unavailable: " + e;
        }
    }

    private void checkAlive(String what) throws IOException {
        synchronized (processes) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a Kannel process (" + p.info().command().orElse("?") + ") exited with "
                            + p.exitValue() + " while waiting for " + what + diagnostics());
                }
            }
        }
    }

    /** The tails of bearerbox's and smsbox's logs, and fakesmsc's, for error messages. */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("bearerbox.log", "smsbox.log")) {
            Path log = dir.resolve(name);
            try {
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                    out.append("\n--- ").append(name).append(" (tail) ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            } catch (IOException ignored) {
                // best effort
            }
        }
        if (tap != null) out.append("\n--- fakesmsc (tail) ---\n").append(tap.tail());
        String status = status();
        int boxes = status.indexOf("Box connections:");
        out.append("\n--- bearerbox status ---\n").append(boxes >= 0 ? status.substring(boxes).strip() : status);
        return out.toString();
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) s.close();
        }
    }

    /** SIGTERM to every child (smsbox and fakesmsc first), then SIGKILL to whatever is still alive after 3 s. */
    private void kill() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        for (int i = all.size() - 1; i >= 0; i--) all.get(i).destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Process p : all) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (Process p : all) {
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deleteDir() {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        kill();
        if (tap != null) tap.close();
        deleteDir();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** A keep-alive client that sends one message through smsbox's sendsms each time. */
    KeepAliveClient sendsms(String from, String to, String text) {
        return new KeepAliveClient(sendsmsPort, KeepAliveClient.get(sendsmsPort, "/cgi-bin/sendsms?username=" + SENDSMS_USER
                + "&password=" + SENDSMS_PASSWORD + "&from=" + from + "&to=" + to + "&text=" + text));
    }
}
