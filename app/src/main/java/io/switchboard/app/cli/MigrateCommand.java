package io.switchboard.app.cli;

import io.switchboard.app.config.NodeConfig;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Schema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard migrate}: brings the store's schema up to date as a step of its own, for nodes that run with
 * {@code store.migrate-on-start: false} (the upgrade of a cluster, in the README).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Migrates the store's schema to this release's and says from what version to what; safe to run "
                + "again (then it applies nothing).", "The store is found as `server` finds it: --config FILE, "
                + "SWITCHBOARD_* environment variables (SWITCHBOARD_DB_URL, ...), then these options."})
public final class MigrateCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Override
    public Integer call() {
        NodeConfig config = store.loader().load();
        try (Database database = config.store().open(Schema.OnOpen.AS_IS)) {
            Schema.Migration migration = database.schema().migrate();
            System.out.println(migration.applied() == 0 ? "schema: at version " + migration.to() + ", nothing to apply"
                    : "schema: from version " + migration.from() + " to " + migration.to() + " (" + migration.applied()
                    + " migrations applied)");
        }
        return 0;
    }
}
