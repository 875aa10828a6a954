package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.util.Optional;

/** Small named values the node keeps beside the data: the admin token's hash, the master key check. */
public final class Settings {
    /** A value sealed under the master key ({@code Vault.keyCheck}): a node given other keys refuses to start. */
    public static final String MASTER_KEY_CHECK = "master_key_check";
    private final Database database;

    public Settings(Database database) {
        this.database = database;
    }

    public Optional<String> get(String name) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT val FROM settings WHERE name = ?",
                row -> row.getString(1), name));
    }

    /** Sets the value if none is set yet, and answers the value that holds (the first writer wins). */
    public String putIfAbsent(String name, String value) {
        database.withConnection(c -> Sql.update(c, database.dialect().insertIgnore("settings (name, val)", "(?, ?)"),
                name, value));
        return get(name).orElseThrow();
    }

    public void put(String name, String value) {
        database.inTransaction(c -> {
            Sql.update(c, "DELETE FROM settings WHERE name = ?", name);
            return Sql.update(c, "INSERT INTO settings (name, val) VALUES (?, ?)", name, value);
        });
    }
}
