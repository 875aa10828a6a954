package io.switchboard.app.keys;

import io.switchboard.app.cli.StoreOptions;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.store.MasterKeyRewrap;
import io.switchboard.store.Settings;
import io.switchboard.store.crypto.KeyFiles;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard keys new|rotate|rewrap}: master key rotation with no downtime. The nodes are given the new key as
 * current and the old one as previous (a rolling restart), the rewrap seals every master-sealed value again under the
 * new key while they run, and then the old key is dropped.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Master key rotation: make a key, rewrap the store's data keys and secrets under it.",
        subcommands = {KeysCommand.New.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
public final class KeysCommand {

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Prints a new random master key (base64), for master-key / SWITCHBOARD_MASTER_KEY.")
    static final class New implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(Vault.newMasterKey());
            return 0;
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = {"Seals every value sealed under a previous master key again under the current one (data "
                    + "keys and secrets; message bodies are not touched), in small transactions, while nodes run.",
                    "Keys as for server: master-key and master-keys-previous (SWITCHBOARD_MASTER_KEY, "
                            + "SWITCHBOARD_MASTER_KEYS_PREVIOUS), else DATA/master.key and DATA/master.key.previous. "
                            + "Safe to run again, or after a crash."})
    static final class Rewrap implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOptions store;

        @Override
        public Integer call() {
            return rewrap(store.loader().load(), spec.commandLine().getOut());
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"For the key file (no master-key configured): writes a new DATA/master.key, keeps the one "
                    + "it replaces in DATA/master.key.previous, then rewraps the store.",
                    "Run it with the node stopped; with --files-only it rotates the files only: restart the node (or "
                            + "copy both files to every node of a shared database and restart them one by one), then "
                            + "run keys rewrap."})
    static final class Rotate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOptions store;
        @Option(names = "--files-only", description = "rotate the key files, do not rewrap yet") boolean filesOnly;

        @Override
        public Integer call() {
            NodeConfig config = store.loader().load();
            if (config.secrets().masterKey() != null) {
                throw new IllegalArgumentException("master-key is configured, so the key file is not used: make a key "
                        + "with keys new, give it as master-key and the old one as master-keys-previous, then keys rewrap");
            }
            Path keyFile = MasterKeys.keyFile(config);
            KeyFiles.rotate(keyFile);
            PrintWriter out = spec.commandLine().getOut();
            out.println("New master key " + Vault.fromKeyFile(keyFile).currentKeyId() + " in " + keyFile
                    + "; the one it replaced is kept in " + KeyFiles.previousFile(keyFile));
            return filesOnly ? 0 : rewrap(config, out);
        }
    }

    private static int rewrap(NodeConfig config, PrintWriter out) {
        try (Database database = config.store().open()) {
            Vault vault = MasterKeys.open(config, new Settings(database));
            out.println("Rewrapping under master key " + vault.currentKeyId() + ":");
            int changed = 0;
            for (MasterKeyRewrap.Count count : new MasterKeyRewrap(database, vault).run()) {
                out.printf("  %s: %d rewrapped, %d already under it%s%n", count.kind(), count.rewrapped(),
                        count.alreadyCurrent(), count.changedMeanwhile() == 0 ? ""
                                : ", " + count.changedMeanwhile() + " changed by a node meanwhile");
                changed += count.changedMeanwhile();
            }
            out.println(changed == 0
                    ? "Done: nothing is left under another key; the previous keys can be dropped."
                    : "Some values changed meanwhile: run keys rewrap again before dropping the previous keys.");
            out.flush();
            return 0;
        }
    }
}
