package io.switchboard.app.faults;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * What the fault tests need of the machine (database tools, root for mounts): without it they are skipped with a
 * visible reason, except in CI ({@code CI=true}), where they fail, as the tests of the database servers do.
 */
final class Machine {
    private Machine() {}

    static void requireProgram(String program) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) found |= new File(dir, program).canExecute();
        require(found, program + " is not installed");
    }

    static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "the test mounts a tmpfs, which takes root");
    }

    private static void require(boolean met, String reason) {
        if (met) return;
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(reason + ": CI needs it");
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
