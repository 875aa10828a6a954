package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Libraries from npm that others wrote, run with node against a real node: {@code src/test/node} holds their
 * {@code package.json} (exact versions), its {@code package-lock.json} and the scripts, which are copied to
 * {@code target/npm} and installed there with {@code npm ci} (its cache in {@code target/npm-cache}: nothing is
 * kept outside the build folder), once per test JVM. Without node or npm the test is skipped with the reason, except
 * in CI ({@code CI=true}), where it fails.
 */
public final class Npm {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path FOLDER = Path.of("target", "npm").toAbsolutePath();
    private static final Path CACHE = Path.of("target", "npm-cache").toAbsolutePath();
    private static Npm installed;

    private Npm() {}

    /** The packages, installed on first use. */
    public static synchronized Npm install() throws Exception {
        if (installed != null) return installed;
        String node = version("node");
        String npm = version("npm");
        if (node == null || Integer.parseInt(node.replaceAll("^v?([0-9]+).*", "$1")) < 20 || npm == null) {
            String reason = "the npm client libraries need node 20 or newer and npm; found node "
                    + (node == null ? "none" : node) + (npm == null ? " and no npm" : "");
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(reason + ": CI needs them");
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        Files.createDirectories(FOLDER);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, FOLDER.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", CACHE.toString()),
                Map.of(), 180);
        installed = new Npm();
        return installed;
    }

    /**
     * Runs {@code node script argument-as-JSON} in the install folder with {@code env} added, and answers the JSON
     * the script printed as its last line; fails with the script's output when it exits with an error.
     */
    public JsonNode node(String script, Object argument, Map<String, String> env) throws Exception {
        String output = run(List.of("node", script, JSON.writeValueAsString(argument)), env, 60);
        String[] lines = output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    /** What {@code tool --version} prints, or null when it does not run. */
    private static String version(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? printed : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** Its standard output; standard error goes into the failure's message. */
    private static String run(List<String> command, Map<String, String> env, int seconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(FOLDER.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over " + seconds + " s");
        }
        String printed = new String(output.get(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                    + printed + new String(errors.get(), StandardCharsets.UTF_8));
        }
        return printed;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("(unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
