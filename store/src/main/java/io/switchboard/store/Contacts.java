package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.util.List;

/** The contacts each number heard from; written by the store writer with the messages they came with. */
public final class Contacts {
    private final Database database;

    public Contacts(Database database) {
        this.database = database;
    }

    /** The project's number's contacts after user {@code after} (null: from the first), in number order. */
    public List<Contact> page(String projectId, String number, String after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT number, user_number, profile_name, last_seen FROM contacts "
                + "WHERE number = ? AND project_id = ? AND user_number > ? ORDER BY user_number LIMIT " + limit,
                row -> new Contact(row.getString(1), row.getString(2), row.getBytes(3), row.getLong(4)), number,
                projectId, after == null ? "" : after));
    }
}
