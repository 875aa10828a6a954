package io.switchboard.store;

import io.switchboard.store.Tombstones.Tombstone;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.db.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the retention sweeper deletes, one small batch per call, each batch its own short transaction: the writer's
 * group commits (and on the embedded store, SQLite's one write lock) wait at most one batch, never a whole sweep.
 * A batch is read by its key first and then deleted by those keys, which every store does the same way (PostgreSQL has
 * no DELETE ... LIMIT). Usage counters ({@link Usage}) are not messages: they stay, and a number's usage reads the same
 * after its messages are gone; a deleted number's go with its tombstone.
 */
public final class Retention {
    /** Rows a batch deletes at most (of each table it touches). */
    public static final int BATCH = 1_000;
    /** Media files a batch of a deleted project's or number's deletes (each up to 100 chunks of 1 MiB). */
    private static final int MEDIA_BATCH = 5;
    private static final long DAY_MS = 86_400_000L;
    /** Tries of a batch the database picked as a deadlock's victim. */
    private static final int ATTEMPTS = 5;
    private final Database database;
    private final Tombstones tombstones;

    public Retention(Database database) {
        this.database = database;
        this.tombstones = new Tombstones(database);
    }

    /** A live number and the time before which its messages go (its project's retention, or the node's). */
    public record Cutoff(String number, long before) {}

    /** Every live number's cutoff at {@code now}, with {@code defaultDays} for projects that set none. */
    public List<Cutoff> cutoffs(long now, int defaultDays) {
        return database.withConnection(c -> Sql.query(c, "SELECT n.number, p.retention_days FROM numbers n "
                + "JOIN projects p ON p.id = n.project_id ORDER BY n.number", row -> {
                    int days = row.getInt(2);
                    if (row.wasNull()) days = defaultDays; // right after the read: wasNull answers for the last one
                    return new Cutoff(row.getString(1), now - days * DAY_MS);
                }));
    }

    /**
     * One batch of the number's old data: messages created before the cutoff with their group receipts, then dead
     * letter events that occurred before it, then contacts last seen before it. Live work is left alone: an outgoing
     * message still queued (an outbox holds it), an incoming one or an event still owed to the customer's server (the
     * dispatcher holds it; once given up, it is a dead letter and goes). Answers the messages deleted and the other rows deleted; fewer than
     * {@link #BATCH} of each means the number is done for now.
     */
    public Swept sweep(Cutoff cutoff) {
        int messages = deleteMessages("SELECT id FROM messages WHERE number = ? AND created_at < ? "
                + "AND (direction = 'i' OR status_rank > 0) AND hook_state <> 1 LIMIT " + BATCH, cutoff.number(), cutoff.before());
        int events = deleteByIds("events", "id", "SELECT id FROM events WHERE state = 2 AND number = ? "
                + "AND occurred_at < ? LIMIT " + BATCH, cutoff.number(), cutoff.before());
        int contacts = deleteContacts("SELECT user_number FROM contacts WHERE number = ? AND last_seen < ? LIMIT " + BATCH,
                cutoff.number(), cutoff.number(), cutoff.before());
        return new Swept(messages, events + contacts, messages == BATCH || events == BATCH || contacts == BATCH);
    }

    /** What a batch deleted; {@code more}: a full batch, so there may be more to delete. */
    public record Swept(int messages, int others, boolean more) {}

    /** Tombstones, oldest first. */
    public List<Tombstone> tombstones() {
        return tombstones.all();
    }

    /**
     * One batch of a deleted number's or project's data; once a batch finds nothing left, the tombstone goes too
     * (and with a number's, its usage counters).
     */
    public Swept sweep(Tombstone tombstone) {
        String project = tombstone.projectId();
        int messages = 0;
        int others = 0;
        if (tombstone.kind().equals(Tombstones.NUMBER)) {
            String number = tombstone.name();
            messages = deleteMessages("SELECT id FROM messages WHERE number = ? AND project_id = ? LIMIT " + BATCH,
                    number, project);
            others += deleteByIds("events", "id", "SELECT id FROM events WHERE state IN (1, 2) AND number = ? "
                    + "AND project_id = ? LIMIT " + BATCH, number, project);
            others += deleteContacts("SELECT user_number FROM contacts WHERE number = ? AND project_id = ? LIMIT "
                    + BATCH, number, number, project);
            others += deleteMedia("SELECT id FROM media WHERE project_id = ? AND number = ? LIMIT " + MEDIA_BATCH,
                    project, number);
            others += batch(c -> Sql.update(c, "DELETE FROM chat_groups WHERE project_id = ? AND number = ?", project, number));
        } else {
            others += deleteByIds("events", "id", "SELECT id FROM events WHERE project_id = ? LIMIT " + BATCH, project);
            others += deleteMedia("SELECT id FROM media WHERE project_id = ? LIMIT " + MEDIA_BATCH, project);
            others += batch(c -> Sql.update(c, "DELETE FROM chat_groups WHERE project_id = ?", project));
            others += batch(c -> Sql.update(c, "DELETE FROM message_templates WHERE project_id = ?", project));
            others += deleteKeys(project);
        }
        if (messages == 0 && others == 0) {
            if (tombstone.kind().equals(Tombstones.NUMBER)) {
                database.withConnection(c -> Sql.update(c, "DELETE FROM usage_daily WHERE number = ?", tombstone.name()));
            }
            tombstones.remove(tombstone);
            return new Swept(0, 0, false);
        }
        return new Swept(messages, others, true);
    }

    /**
     * One batch's transaction, tried again when the database chose it as a deadlock's victim (MariaDB's row locks
     * against a group commit touching the same rows): the batch is only deleted data, so trying again is safe.
     */
    private int batch(Sql.Work<Integer> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return database.inTransaction(work);
            } catch (StoreException e) {
                // SQLSTATE class 40: transaction rollback (MariaDB's deadlock 40001, PostgreSQL's 40P01).
                boolean victim = e.getCause() instanceof SQLException sql && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("40");
                if (!victim || attempt == ATTEMPTS) throw e;
                try {
                    Thread.sleep(10L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The messages the query picks (ids), with their group receipts, in one transaction. */
    private int deleteMessages(String select, Object... values) {
        return batch(c -> {
            List<Object> ids = Sql.query(c, select, row -> row.getLong(1), values);
            if (ids.isEmpty()) return 0;
            String in = placeholders(ids.size());
            Sql.update(c, "DELETE FROM group_receipts WHERE message_id IN " + in, ids.toArray());
            return Sql.update(c, "DELETE FROM messages WHERE id IN " + in, ids.toArray());
        });
    }

    private int deleteByIds(String table, String key, String select, Object... values) {
        return batch(c -> {
            List<Object> ids = Sql.query(c, select, row -> row.getObject(1), values);
            return ids.isEmpty() ? 0 : Sql.update(c, "DELETE FROM " + table + " WHERE " + key + " IN "
                    + placeholders(ids.size()), ids.toArray());
        });
    }

    /** The number's contacts the query picks ({@code values} after the number are the query's own). */
    private int deleteContacts(String select, String number, Object... values) {
        return batch(c -> {
            List<Object> users = Sql.query(c, select, row -> row.getString(1), values);
            if (users.isEmpty()) return 0;
            List<Object> keys = new ArrayList<>(users.size() + 1);
            keys.add(number);
            keys.addAll(users);
            return Sql.update(c, "DELETE FROM contacts WHERE number = ? AND user_number IN "
                    + placeholders(users.size()), keys.toArray());
        });
    }

    private int deleteMedia(String select, Object... values) {
        return batch(c -> {
            List<Object> ids = Sql.query(c, select, row -> row.getLong(1), values);
            if (ids.isEmpty()) return 0;
            String in = placeholders(ids.size());
            Sql.update(c, "DELETE FROM media_chunks WHERE media_id IN " + in, ids.toArray());
            Sql.update(c, "DELETE FROM upstream_media WHERE media_id IN " + in, ids.toArray());
            return Sql.update(c, "DELETE FROM media WHERE id IN " + in, ids.toArray());
        });
    }

    /** A deleted project's idempotency keys (they would go within a day anyway). */
    private int deleteKeys(String project) {
        return batch(c -> {
            List<Object> keys = new ArrayList<>(List.of(project));
            keys.addAll(Sql.query(c, "SELECT idem_key FROM idempotency_keys WHERE project_id = ? LIMIT " + BATCH,
                    row -> row.getString(1), project));
            return keys.size() == 1 ? 0 : Sql.update(c, "DELETE FROM idempotency_keys WHERE project_id = ? AND idem_key IN "
                    + placeholders(keys.size() - 1), keys.toArray());
        });
    }

    private static String placeholders(int count) {
        return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }
}
