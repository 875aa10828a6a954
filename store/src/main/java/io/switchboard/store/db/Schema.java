package io.switchboard.store.db;

import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The store's schema, versioned by Flyway: brought up to date, or checked. Either way a schema newer than this node
 * knows (migrated by a newer release) is refused: an older node would misread it. Flyway ignores such "future"
 * migrations by default; here they fail the open with a sentence that says what to do.
 */
public final class Schema {
    /** What opening the store does to its schema. */
    public enum OnOpen {
        /** Apply what is pending (a single node, or the first node of an upgrade). */
        MIGRATE,
        /** Apply nothing; refuse a schema that is not exactly what this node knows ({@code ./switchboard migrate} first). */
        CHECK,
        /** Look at nothing (the {@code migrate} command, which migrates itself and says from what to what). */
        AS_IS
    }

    /** What a migration did: the versions before and after, and how many migrations it applied. */
    public record Migration(String from, String to, int applied) {}

    private final Flyway flyway;

    Schema(DataSource dataSource, Dialect dialect) {
        this.flyway = Flyway.configure().dataSource(dataSource).placeholders(dialect.migrationPlaceholders())
                .ignoreMigrationPatterns(new String[0]) // none: a migration this node does not have fails validation
                .load();
    }

    void open(OnOpen onOpen) {
        switch (onOpen) {
            case MIGRATE -> migrate();
            case CHECK -> check();
            case AS_IS -> { }
        }
    }

    /** Applies what is pending. */
    public Migration migrate() {
        try {
            MigrateResult result = flyway.migrate();
            return new Migration(result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                    result.targetSchemaVersion == null ? version() : result.targetSchemaVersion, result.migrationsExecuted);
        } catch (FlywayException e) {
            throw refused(e);
        }
    }

    /** The schema's version, or "none" for an empty store. */
    public String version() {
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    /** The newest version this node knows (its last migration). */
    public String known() {
        return lastKnown();
    }

    /** Whether a newer release migrated this schema: it holds migrations this node does not have. */
    public boolean newerThanKnown() {
        return Arrays.stream(flyway.info().all()).anyMatch(info -> info.getState() == MigrationState.FUTURE_SUCCESS
                || info.getState() == MigrationState.FUTURE_FAILED);
    }

    private void check() {
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length > 0) {
            throw new StoreException("the store's schema is at version " + version() + " and this node needs "
                    + pending[pending.length - 1].getVersion() + ": run `switchboard migrate` against it first "
                    + "(store.migrate-on-start is off)");
        }
        try {
            flyway.validate();
        } catch (FlywayException e) {
            throw refused(e);
        }
    }

    private StoreException refused(FlywayException e) {
        String known = flyway.info().all().length == 0 ? "none" : lastKnown();
        return new StoreException("the store's schema does not match this node (it knows up to version " + known
                + "; a newer release may have migrated the store: run that release): " + e.getMessage(), e);
    }

    private String lastKnown() {
        String last = "none";
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() != null && info.getPhysicalLocation() != null && !info.getPhysicalLocation().isEmpty()) {
                last = info.getVersion().getVersion();
            }
        }
        return last;
    }
}
