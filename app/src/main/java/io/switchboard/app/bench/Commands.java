package io.switchboard.app.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's own tools (database servers' scripts, mount) for the drills, failing with their output. */
public final class Commands {
    private static final long LIMIT_SECONDS = 120;

    private Commands() {}

    /** Runs the command to its end; answers its output, or throws with it when it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("switchboard-command", ".log");
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + LIMIT_SECONDS + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Whether the program is on this machine's PATH (or at the absolute path given). */
    public static boolean available(String program) {
        if (program.startsWith("/")) return new File(program).canExecute();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new File(dir, program).canExecute()) return true;
        }
        return false;
    }
}
