package io.switchboard.app.cli;

import io.switchboard.app.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command finds its configuration and store: the options {@code server}, {@code migrate} and {@code keys} share. */
public final class StoreOptions {
    @Option(names = "--config", description = "YAML configuration file") Path config;
    @Option(names = "--data", description = "data folder: embedded store and key file (default ./data)") Path data;
    @Option(names = "--db-url", description = "JDBC URL of PostgreSQL or MariaDB/MySQL instead of the embedded store") String dbUrl;
    @Option(names = "--db-user", description = "database user (the password: db.password or SWITCHBOARD_DB_PASSWORD)") String dbUser;

    /** The configuration file, then SWITCHBOARD_* environment variables, then these options. */
    public ConfigLoader loader() {
        return new ConfigLoader().file(config).environment(System.getenv()).set("data", data).set("db.url", dbUrl)
                .set("db.user", dbUser);
    }
}
