package io.switchboard.app.backup;

import io.switchboard.app.cli.StoreOptions;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Schema;
import io.switchboard.store.files.DurableFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard restore --from FILE --data DIR [--force]}: puts a backup in place as the data folder's embedded
 * store. The backup is copied beside the store first and checked there (an SQLite database that is whole, with a
 * Switchboard schema this release knows: a newer release's is refused, an older one is migrated when the node
 * starts), and only then renamed over the store, so a refused or interrupted restore leaves the folder as it was.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores a backup made by `switchboard backup` as the embedded store of a data folder; run it "
                + "with that folder's node stopped.",
                "Refuses a file that is not a Switchboard store, one a newer release migrated, a folder that holds "
                        + "a store already unless --force, and a store a running node has open. The master key is not in a backup: put master.key in DIR "
                        + "(or give master-key) before starting the node."})
public final class RestoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Option(names = "--from", required = true, paramLabel = "FILE", description = "the backup file") Path from;
    @Option(names = "--force", description = "replace the store the data folder holds") boolean force;

    @Override
    public Integer call() throws IOException, SQLException {
        Path target = EmbeddedStoreFile.of(store.loader().load(), "restore").toAbsolutePath().normalize();
        EmbeddedStoreFile.requireSqlite(from, "the backup");
        if (Files.exists(target) && !force) {
            throw new IllegalArgumentException(target.getParent() + " holds a store already (" + target.getFileName()
                    + "): stop its node and give --force to replace it, or restore into another folder");
        }
        if (Files.exists(target)) EmbeddedStoreFile.requireUnused(target);
        Files.createDirectories(target.getParent());
        Path restoring = target.resolveSibling(target.getFileName() + ".restoring");
        EmbeddedStoreFile.deleteSidecars(restoring);
        Files.copy(from, restoring, StandardCopyOption.REPLACE_EXISTING);
        String version;
        try {
            version = check(restoring);
        } catch (RuntimeException | SQLException e) {
            Files.deleteIfExists(restoring);
            throw e;
        } finally {
            EmbeddedStoreFile.deleteSidecars(restoring);
        }
        // A WAL left by the replaced store would be replayed onto the restored one: it goes first.
        EmbeddedStoreFile.deleteSidecars(target);
        DurableFiles.publish(restoring, target);
        PrintWriter out = spec.commandLine().getOut();
        out.println("restore: " + from + " (schema version " + version + ") to " + target);
        out.println(EmbeddedStoreFile.MASTER_KEY_NOTE);
        if (!Files.exists(target.resolveSibling("master.key"))) {
            out.println("Put the store's master.key in " + target.getParent() + " (or give master-key) before starting "
                    + "the node: without a key a node makes a new one, and then refuses this store.");
        }
        return 0;
    }

    /** Checks the copy is a whole Switchboard store this release can run on; answers its schema version. */
    private String check(Path copy) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA quick_check")) {
            String verdict = result.next() ? result.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new IllegalArgumentException("the backup " + from + " is damaged (SQLite's quick_check: " + verdict + ")");
            }
        }
        try (Database database = Database.open("jdbc:sqlite:" + copy, null, null, Schema.OnOpen.AS_IS)) {
            Schema schema = database.schema();
            String version = schema.version();
            if (version.equals("none")) {
                throw new IllegalArgumentException("the backup " + from + " is not a Switchboard store (it has no schema history)");
            }
            if (schema.newerThanKnown()) {
                throw new IllegalArgumentException("the backup " + from + " has schema version " + version + ", newer than "
                        + "this release knows (up to " + schema.known() + "): restore it with the release that made it");
            }
            return version;
        }
    }
}
