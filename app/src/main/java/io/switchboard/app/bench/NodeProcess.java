package io.switchboard.app.bench;

import io.switchboard.app.demo.ApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node in a process of its own ({@code switchboard server}, from this process's own classpath), for the
 * benchmarks and tests that kill it with SIGKILL, pause it with SIGSTOP, or run several side by side. Its output
 * goes to a log file, shown when it fails to start.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private volatile ApiClient api;
    private volatile int httpPort;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> environment;
    private Process process;

    /**
     * @param environment {@code SWITCHBOARD_*} settings of the node (any others of the test's own are removed)
     * @param options     command-line options after {@code server --http-port N}
     */
    public NodeProcess(Path log, Map<String, String> environment, String... options) throws IOException {
        this(log, environment, List.of(), options);
    }

    /** @param jvmOptions options of the node's JVM ({@code -Xmx512m}, say), as SWITCHBOARD_JAVA_OPTS gives the launcher's */
    public NodeProcess(Path log, Map<String, String> environment, List<String> jvmOptions, String... options)
            throws IOException {
        this.log = log;
        this.environment = Map.copyOf(environment);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.switchboard.app.cli.Main", "server"));
        command.addAll(List.of(options));
        choosePort();
    }

    /** The client of the node's API. */
    public ApiClient api() {
        return api;
    }

    public int httpPort() {
        return httpPort;
    }

    private void choosePort() throws IOException {
        httpPort = freePort();
        api = new ApiClient("http://127.0.0.1:" + httpPort);
    }

    /**
     * Starts (or starts again) the process and waits until its API answers. A port another process took between
     * its choice and the node's bind is chosen again, a few times.
     */
    public NodeProcess start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !log().contains("Address already in use")) throw e;
                choosePort();
            }
        }
    }

    private NodeProcess startOnce() throws IOException, InterruptedException {
        List<String> withPort = new ArrayList<>(command);
        withPort.addAll(List.of("--http-port", Integer.toString(httpPort)));
        ProcessBuilder builder = new ProcessBuilder(withPort);
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "---- starting node ----\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) throw new IllegalStateException("the node exited before it was healthy; log:\n" + log());
            try {
                if (api.get("/health", "").status() == 200) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node was not healthy within " + START_TIMEOUT + "; log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush. Answers the exit code (137). */
    public int kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("the node outlived SIGKILL");
        return process.exitValue();
    }

    /** SIGTERM: the node stops cleanly (its shutdown hook runs). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the node did not stop on SIGTERM; log:\n" + log());
        }
    }

    /** SIGSTOP: every thread of the node freezes, as in a long GC pause or a stalled VM. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) return;
        if (process.isAlive()) {
            try {
                signal("CONT"); // a paused node cannot die
            } catch (IOException | IllegalStateException ignored) {
                // going anyway
            }
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
