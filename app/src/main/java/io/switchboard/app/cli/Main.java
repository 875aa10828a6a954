package io.switchboard.app.cli;

import io.switchboard.app.backup.BackupCommand;
import io.switchboard.app.backup.RestoreCommand;
import io.switchboard.app.bench.BenchCommand;
import io.switchboard.app.capacity.CapacityCommand;
import io.switchboard.app.demo.DemoCommand;
import io.switchboard.app.keys.KeysCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard COMMAND}: the one entry point of the launcher. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Switchboard: a self-hosted, high-volume WhatsApp messaging gateway.",
        subcommands = {DemoCommand.class, ServerCommand.class, MigrateCommand.class, NetworkCommand.class,
                BenchCommand.class, CapacityCommand.class, KeysCommand.class, BackupCommand.class, RestoreCommand.class,
                AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command as the launcher does, answering its exit code (2 for an error, with its message on stderr). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The launcher's command line, for a caller that gives it its own output and error streams. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                    return 2;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "development" : version)};
        }
    }
}
