package io.switchboard.app.backup;

import io.switchboard.app.cli.StoreOptions;
import io.switchboard.store.files.DurableFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard backup --data DIR --to FILE}: a consistent copy of the embedded store, taken while its node runs.
 * SQLite's {@code VACUUM INTO} copies the store as one read transaction sees it (the WAL included), so the copy holds
 * every commit made before it began and none after; a node keeps writing meanwhile (WAL readers do not block the
 * writer). The copy is written to FILE.partial (owner-only), fsynced, then renamed to FILE: FILE is always a whole
 * backup.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copies the embedded store of a running (or stopped) node into FILE, consistently; the master "
                + "key is not in it (keep DATA/master.key apart).",
                "PostgreSQL and MariaDB/MySQL stores are backed up with pg_dump or mariadb-dump (README)."})
public final class BackupCommand implements Callable<Integer> {
    /** How long the copy waits for SQLite's locks, which a checkpoint holds for a moment. */
    private static final String BUSY_TIMEOUT_MS = "30000";

    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Option(names = "--to", required = true, paramLabel = "FILE", description = "the backup file (replaced whole if it exists)")
    Path to;

    @Override
    public Integer call() throws IOException, SQLException {
        Path source = EmbeddedStoreFile.of(store.loader().load(), "backup");
        EmbeddedStoreFile.requireSqlite(source, "the store");
        Path target = to.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial); // left by a backup that died half way; VACUUM INTO refuses an existing file
        long started = System.nanoTime();
        Properties options = new Properties();
        options.setProperty("busy_timeout", BUSY_TIMEOUT_MS);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath(), options);
             PreparedStatement copy = connection.prepareStatement("VACUUM INTO ?")) {
            copy.setString(1, partial.toString());
            copy.execute();
        } catch (SQLException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) { // the store's secrets, sealed or hashed
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        }
        DurableFiles.publish(partial, target);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "backup: %s to %s, %,d bytes in %.1f s%n", source, target, Files.size(target),
                (System.nanoTime() - started) / 1e9);
        out.println(EmbeddedStoreFile.MASTER_KEY_NOTE);
        return 0;
    }
}
