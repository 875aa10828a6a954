package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's messages, both ways, newest first (by {@code created_at}, then id), read a page at a time after a
 * {@link Position}: a key that is unique and never changes, so walking the pages while messages arrive never loses or
 * repeats one. Each page is one range of an index of migration V18, however long the history.
 */
public final class MessageHistory {
    private final Database database;

    public MessageHistory(Database database) {
        this.database = database;
    }

    /**
     * What to list; every part but the project may be null (not filtered). {@code status}: a rank, {@code scheduled}:
     * for an outgoing message at rank 0, whether it waits for a later time than {@code now} (true) or not (false).
     * {@code since} is inclusive and {@code until} exclusive (epoch ms, of {@code created_at}).
     */
    public record Filter(String projectId, String number, String peer, Direction direction, MessageStatus status,
                         Boolean scheduled, long now, Long since, Long until) {}

    /** Where a page ends: the next page holds the messages older than this one. */
    public record Position(long createdAt, long id) {
        public static Position of(MessageRecord message) {
            return new Position(message.times().created(), message.id());
        }
    }

    /** At most {@code limit} of the filter's messages older than {@code after} (null: from the newest), newest first. */
    public List<MessageRecord> page(Filter filter, Position after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + Messages.COLUMNS + " FROM messages WHERE project_id = ?");
        List<Object> values = new ArrayList<>(List.of(filter.projectId()));
        and(sql, values, " AND number = ?", filter.number());
        and(sql, values, " AND peer = ?", filter.peer());
        and(sql, values, " AND direction = ?", filter.direction() == null ? null : filter.direction().code());
        and(sql, values, " AND status_rank = ?", filter.status() == null ? null : filter.status().rank());
        if (filter.scheduled() != null) {
            sql.append(filter.scheduled() ? " AND not_before > ?" : " AND (not_before IS NULL OR not_before <= ?)");
            values.add(filter.now());
        }
        and(sql, values, " AND created_at >= ?", filter.since());
        and(sql, values, " AND created_at < ?", filter.until());
        if (after != null) {
            // Not a row comparison: MariaDB reads only "created_at <= ?" as the range of the index.
            sql.append(" AND created_at <= ? AND (created_at < ? OR id < ?)");
            values.addAll(List.of(after.createdAt(), after.createdAt(), after.id()));
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit);
        return database.withConnection(c -> Sql.query(c, sql.toString(), Messages::map, values.toArray()));
    }

    private static void and(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value == null) return;
        sql.append(condition);
        values.add(value);
    }
}
