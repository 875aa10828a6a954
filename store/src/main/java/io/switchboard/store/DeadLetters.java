package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook and Event Webhook calls that were given up after their retry window: listed for the customer, and
 * revived for a replay. A dead Webhook call is its incoming message at {@code hook_state = 2}; a dead Event
 * Webhook call is each of its events at {@code state = 2}.
 */
public final class DeadLetters {
    private static final int PAGE = 500;
    private final Database database;

    public DeadLetters(Database database) {
        this.database = database;
    }

    public enum Kind {
        MESSAGE, EVENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One dead letter: the call's own id (the message's or the event's) and why it was given up. */
    public record DeadLetter(Kind kind, long id, long messageId, String reason, long failedAt) {}

    /** What a replay selects: the given ids, or else every dead letter that failed in [from, to) (epoch ms). */
    public record Selection(List<Long> ids, long from, long to) {
        public static Selection all() {
            return new Selection(List.of(), 0, Long.MAX_VALUE);
        }
    }

    /**
     * What a replay brought back to pending, for the dispatcher to read back and deliver again: how many Webhook calls
     * and events of each (number, shard), revived at {@code at} (their new retry window's start).
     */
    public record Revived(long at, Map<Messages.OwedSource, Long> hooks, Map<Messages.OwedSource, Long> events) {
        public long size() {
            return hooks.values().stream().mapToLong(Long::longValue).sum()
                    + events.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The project's dead letters with ids above {@code after}, oldest first, at most {@code limit}. */
    public List<DeadLetter> list(String projectId, long after, int limit) {
        return database.withConnection(c -> {
            List<DeadLetter> all = new ArrayList<>(Sql.query(c, "SELECT id, hook_error, hook_failed_at FROM messages "
                    + "WHERE hook_state = 2 AND project_id = ? AND id > ? ORDER BY id LIMIT " + limit,
                    row -> new DeadLetter(Kind.MESSAGE, row.getLong(1), row.getLong(1), row.getString(2), row.getLong(3)),
                    projectId, after));
            all.addAll(Sql.query(c, "SELECT id, message_id, failure, failed_at FROM events "
                    + "WHERE state = 2 AND project_id = ? AND id > ? ORDER BY id LIMIT " + limit,
                    row -> new DeadLetter(Kind.EVENT, row.getLong(1), row.getLong(2), row.getString(3), row.getLong(4)),
                    projectId, after));
            all.sort(Comparator.comparingLong(DeadLetter::id));
            return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
        });
    }

    public long count(String projectId) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT "
                + "(SELECT COUNT(*) FROM messages WHERE hook_state = 2 AND project_id = ?) + "
                + "(SELECT COUNT(*) FROM events WHERE state = 2 AND project_id = ?)", row -> row.getLong(1),
                projectId, projectId)).orElse(0L);
    }

    /** Every project's dead letters, by project id (projects with none are absent); two indexed counts. */
    public java.util.Map<String, Long> countByProject() {
        return database.withConnection(c -> {
            java.util.Map<String, Long> counts = new java.util.HashMap<>();
            for (String sql : List.of("SELECT project_id, COUNT(*) FROM messages WHERE hook_state = 2 GROUP BY project_id",
                    "SELECT project_id, COUNT(*) FROM events WHERE state = 2 GROUP BY project_id")) {
                for (var row : Sql.query(c, sql, r -> java.util.Map.entry(r.getString(1), r.getLong(2)))) {
                    counts.merge(row.getKey(), row.getValue(), Long::sum);
                }
            }
            return counts;
        });
    }

    /**
     * Puts the selected dead letters back to pending in one transaction, with a new retry window from {@code at},
     * and answers where they are. The rows are changed in place (no list of them in memory, however many).
     */
    public Revived revive(String projectId, Selection selection, long at) {
        return database.withConnection(c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                revive(c, "UPDATE messages SET hook_state = 1, hook_error = NULL, hook_failed_at = NULL, hook_retry_from = ? "
                        + "WHERE hook_state = 2 AND project_id = ?", "hook_failed_at", projectId, selection, at);
                revive(c, "UPDATE events SET state = 1, failure = NULL, failed_at = NULL, retry_from = ? "
                        + "WHERE state = 2 AND project_id = ?", "failed_at", projectId, selection, at);
                Map<Messages.OwedSource, Long> hooks = sources(c, "SELECT number, shard, COUNT(*) FROM messages "
                        + "WHERE hook_state = 1 AND project_id = ? AND hook_retry_from = ? GROUP BY number, shard",
                        projectId, at);
                Map<Messages.OwedSource, Long> events = sources(c, "SELECT e.number, m.shard, COUNT(*) FROM events e "
                        + "JOIN messages m ON m.id = e.message_id WHERE e.state = 1 AND e.project_id = ? "
                        + "AND e.retry_from = ? GROUP BY e.number, m.shard", projectId, at);
                c.commit();
                return new Revived(at, hooks, events);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    private static void revive(Connection c, String update, String failedAt, String projectId, Selection selection,
                               long at) throws SQLException {
        if (selection.ids().isEmpty()) {
            Sql.update(c, update + " AND " + failedAt + " >= ? AND " + failedAt + " < ?", at, projectId,
                    selection.from(), selection.to());
            return;
        }
        for (List<Long> page : pages(selection.ids())) {
            List<Object> values = new ArrayList<>(page.size() + 2);
            values.add(at);
            values.add(projectId);
            values.addAll(page);
            Sql.update(c, update + " AND id IN (" + marks(page) + ")", values.toArray());
        }
    }

    private static Map<Messages.OwedSource, Long> sources(Connection c, String sql, String projectId, long at)
            throws SQLException {
        Map<Messages.OwedSource, Long> sources = new HashMap<>();
        for (var row : Sql.query(c, sql, row -> Map.entry(new Messages.OwedSource(row.getString(1), row.getInt(2), at),
                row.getLong(3)), projectId, at)) {
            sources.put(row.getKey(), row.getValue());
        }
        return sources;
    }

    private static List<List<Long>> pages(List<Long> ids) {
        List<List<Long>> pages = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += PAGE) pages.add(ids.subList(i, Math.min(ids.size(), i + PAGE)));
        return pages;
    }

    private static String marks(List<Long> page) {
        return String.join(",", Collections.nCopies(page.size(), "?"));
    }
}
