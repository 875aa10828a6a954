package io.switchboard.app.cli;

import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Schema;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard migrate}: brings the store's schema up to date as a step of its own, for nodes that run with
 * {@code store.migrate-on-start: false} (the upgrade of a cluster, in the README).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Migrates the store's schema to this release's and says from what version to what; safe to run "
                + "again (then it applies nothing).", "The store is found as `server` finds it: --config FILE, "
                + "SWITCHBOARD_* environment variables (SWITCHBOARD_DB_URL, ...), then these options."})
public final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file") Path config;
    @Option(names = "--data", description = "data folder of the embedded store (default ./data)") Path data;
    @Option(names = "--db-url", description = "JDBC URL of PostgreSQL or MariaDB/MySQL instead of the embedded store") String dbUrl;
    @Option(names = "--db-user", description = "database user") String dbUser;

    @Override
    public Integer call() {
        NodeConfig config = new ConfigLoader().file(this.config).environment(System.getenv())
                .set("data", data).set("db.url", dbUrl).set("db.user", dbUser).load();
        try (Database database = Node.openStore(config.store(), Schema.OnOpen.AS_IS)) {
            Schema.Migration migration = database.schema().migrate();
            System.out.println(migration.applied() == 0 ? "schema: at version " + migration.to() + ", nothing to apply"
                    : "schema: from version " + migration.from() + " to " + migration.to() + " (" + migration.applied()
                    + " migrations applied)");
        }
        return 0;
    }
}
