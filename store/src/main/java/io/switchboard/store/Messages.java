package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Dialect;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Reads of messages and pending events; every write goes through the {@code WriteBatcher}. */
public final class Messages {
    public static final String COLUMNS = "id, project_id, number, direction, peer, shard, priority, type, body, status_rank, "
            + "network_id, error, hook_state, created_at, sent_at, delivered_at, read_at, failed_at, "
            + "reply_to, not_before, expires_at, expired_at, cancelled_at, callback, origin";
    static final String EVENT_SELECT = "SELECT id, project_id, message_id, number, peer, status, error, occurred_at, details FROM events";
    private final Database database;
    private final MessageHistory history;

    public Messages(Database database) {
        this.database = database;
        this.history = new MessageHistory(database);
    }

    /** The projects' histories: their messages listed newest first, a page at a time. */
    public MessageHistory history() {
        return history;
    }

    /** The message, if it belongs to the project: another project's id reads as absent. */
    public Optional<MessageRecord> find(String projectId, long id) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM messages WHERE id = ? AND project_id = ?", Messages::map, id, projectId));
    }

    /**
     * A queued outgoing message as the outbox keeps it: its id, shard, priority and recipient, not its body; and when
     * it may go and when it expires (epoch ms, 0 when not set).
     */
    public record QueuedRef(long id, int shard, Priority priority, String peer, long notBefore, long expiresAt) {}

    /**
     * The number's outgoing messages not yet taken by the network (scheduled ones too), in the order they must go,
     * streamed a row at a time so that millions of them need no list in memory.
     */
    public void forEachQueued(String number, java.util.function.Consumer<QueuedRef> consumer) {
        forEachQueued(number, -1, consumer);
    }

    /** The same for one shard of the number ({@code shard} -1: every shard). */
    public void forEachQueued(String number, int shard, java.util.function.Consumer<QueuedRef> consumer) {
        database.withConnection(c -> {
            // PostgreSQL streams with a fetch size only inside a transaction; on the embedded store a transaction
            // would hold the write lock for the whole read.
            boolean inTransaction = database.dialect() == Dialect.POSTGRESQL;
            if (inTransaction) c.setAutoCommit(false);
            try (var statement = c.prepareStatement("SELECT id, shard, priority, peer, not_before, expires_at FROM messages "
                    + "WHERE number = ? AND status_rank = 0 AND direction = 'o' AND (shard = ? OR ? < 0) "
                    + "ORDER BY priority, id")) {
                statement.setFetchSize(10_000);
                statement.setString(1, number);
                statement.setInt(2, shard);
                statement.setInt(3, shard);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        consumer.accept(new QueuedRef(rows.getLong(1), rows.getInt(2), Priority.ofRank(rows.getInt(3)),
                                rows.getString(4), rows.getLong(5), rows.getLong(6))); // getLong answers 0 for NULL
                    }
                }
                if (inTransaction) c.commit();
            } finally {
                if (inTransaction) c.setAutoCommit(true);
            }
            return null;
        });
    }

    /** The number's outgoing message the network knows by {@code networkId} (Meta's wamid), if any. */
    public Optional<Long> outgoingByNetworkId(String number, String networkId) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT id FROM messages WHERE network_id = ? AND number = ? AND direction = 'o'",
                row -> row.getLong(1), networkId, number));
    }

    /**
     * The number's message, either way, the network knows by {@code networkId} (Meta's wamid, the simulated
     * network's id), if any: what a user's reply names.
     */
    public Optional<Long> idByNetworkId(String number, String networkId) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT id FROM messages WHERE network_id = ? AND number = ?",
                row -> row.getLong(1), networkId, number));
    }

    /** The network's id (Meta's wamid) of the number's message {@code id}, once the network gave it one. */
    public Optional<String> networkId(String number, long id) {
        return database.withConnection(c -> Sql.queryOne(c,
                "SELECT network_id FROM messages WHERE id = ? AND number = ? AND network_id IS NOT NULL",
                row -> row.getString(1), id, number));
    }

    /** The messages with these ids (those that exist), in no particular order. */
    public List<MessageRecord> byIds(List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM messages WHERE id IN (" + marks + ")",
                Messages::map, ids.toArray()));
    }

    /**
     * What a message was sent as, as stored: its callback value sealed with its number's data key (or null), its type,
     * the network's id of it (or null).
     */
    public record SentRow(long messageId, String number, byte[] sealedCallback, String type, String networkId) {}

    /** What these messages (those that exist) were sent as, in no particular order. */
    public List<SentRow> sent(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return database.withConnection(c -> Sql.query(c, "SELECT id, number, callback, type, network_id FROM messages "
                + "WHERE id IN (" + marks + ")", row -> new SentRow(row.getLong(1), row.getString(2), row.getBytes(3),
                row.getString(4), row.getString(5)), ids.toArray()));
    }

    /** An incoming message whose Webhook call is owed, and when the call's retry window started. */
    public record OwedHook(MessageRecord message, long since) {}

    /** An event owed to the Event Webhook, and when its retry window started. */
    public record OwedEvent(EventRecord event, long since) {}

    /**
     * Where owed calls are read from: one (number, shard)'s, or only those a replay at {@code replayedAt} revived
     * ({@code 0}: every owed call).
     */
    public record OwedSource(String number, int shard, long replayedAt) {}

    private static final String OWED_HOOKS = " FROM messages WHERE hook_state = 1 AND number = ? AND shard = ?";
    private static final String OWED_EVENTS = " FROM events e JOIN messages m ON m.id = e.message_id "
            + "WHERE e.state = 1 AND e.number = ? AND m.shard = ?";

    /**
     * The source's incoming messages whose Webhook call is owed, with an id above {@code after}, oldest first, at most
     * {@code limit}: one range of the owed-calls index.
     */
    public List<OwedHook> owedHooks(OwedSource source, long after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + ", hook_retry_from" + OWED_HOOKS
                + replayed(source, "hook_retry_from") + " AND id > ? ORDER BY id LIMIT " + limit,
                row -> new OwedHook(map(row), since(row, "hook_retry_from", "created_at")),
                source.number(), source.shard(), after));
    }

    /** The same for the events of the source's messages. */
    public List<OwedEvent> owedEvents(OwedSource source, long after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT e.id, e.project_id, e.message_id, e.number, e.peer, "
                + "e.status, e.error, e.occurred_at, e.details, e.retry_from" + OWED_EVENTS + replayed(source, "e.retry_from")
                + " AND e.id > ? ORDER BY e.id LIMIT " + limit,
                row -> new OwedEvent(mapEvent(row), since(row, "retry_from", "occurred_at")),
                source.number(), source.shard(), after));
    }

    /** Owed calls counted: how many, and the newest id among them (0: none). */
    public record OwedCount(long calls, long newest) {}

    /** How many Webhook calls the source owes. */
    public OwedCount owedHooksCount(OwedSource source) {
        return count("SELECT COUNT(*), COALESCE(MAX(id), 0)" + OWED_HOOKS + replayed(source, "hook_retry_from"), source);
    }

    /** How many events the source owes. */
    public OwedCount owedEventsCount(OwedSource source) {
        return count("SELECT COUNT(*), COALESCE(MAX(e.id), 0)" + OWED_EVENTS + replayed(source, "e.retry_from"), source);
    }

    private OwedCount count(String sql, OwedSource source) {
        return database.withConnection(c -> Sql.queryOne(c, sql, row -> new OwedCount(row.getLong(1), row.getLong(2)),
                source.number(), source.shard())).orElse(new OwedCount(0, 0));
    }

    private static String replayed(OwedSource source, String column) {
        return source.replayedAt() == 0 ? "" : " AND " + column + " = " + source.replayedAt();
    }

    private static long since(ResultSet row, String retryFrom, String created) throws SQLException {
        Long replayed = Sql.nullableLong(row, retryFrom);
        return replayed != null ? replayed : row.getLong(created);
    }

    /**
     * Messages handed off to the number's {@code shards} (those this node runs) or to a shard at or past
     * {@code count} (stored by a node that had not yet seen a re-shard to fewer shards), oldest first, each with the
     * shard it is stored for. None when this node runs none of the number's shards, or when the number no longer has
     * {@code count} shards: a node that has not seen a re-shard yet must not take (nor re-route) any.
     */
    public List<QueuedRef> handoffs(String number, java.util.Collection<Integer> shards, int count, int limit) {
        if (shards.isEmpty()) return List.of();
        List<Object> values = new java.util.ArrayList<>();
        values.add(count);
        values.add(number);
        values.add(count);
        values.addAll(shards);
        return database.withConnection(c -> Sql.query(c, "SELECT h.message_id, m.shard, h.priority, m.peer, m.not_before, "
                + "m.expires_at FROM handoffs h JOIN messages m ON m.id = h.message_id "
                + "JOIN numbers n ON n.number = h.number AND n.shards = ? WHERE h.number = ? "
                + "AND (h.shard >= ? OR h.shard IN (" + String.join(",", java.util.Collections.nCopies(shards.size(), "?"))
                + ")) ORDER BY h.message_id LIMIT " + limit,
                row -> new QueuedRef(row.getLong(1), row.getInt(2), Priority.ofRank(row.getInt(3)), row.getString(4),
                        row.getLong(5), row.getLong(6)), values.toArray()));
    }

    /** Forgets the shard's handoffs: its new owner reads every queued message of the shard from the store itself. */
    public void dropHandoffs(String number, int shard) {
        database.withConnection(c -> Sql.update(c, "DELETE FROM handoffs WHERE number = ? AND shard = ?", number, shard));
    }

    /**
     * The project's idempotency key, if it was used after {@code after} (epoch ms): an older one is forgotten and
     * reads as absent.
     */
    public Optional<IdempotencyKey> idempotencyKey(String projectId, String key, long after) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT project_id, idem_key, request_hash, status, answer, "
                + "created_at FROM idempotency_keys WHERE project_id = ? AND idem_key = ? AND created_at > ?",
                row -> new IdempotencyKey(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                        row.getBytes(5), row.getLong(6)), projectId, key, after));
    }

    public long count() {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM messages", row -> row.getLong(1))).orElse(0L);
    }

    public long count(String projectId) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM messages WHERE project_id = ?",
                row -> row.getLong(1), projectId)).orElse(0L);
    }

    /**
     * How many of one number's messages, one way, reached each status (each counted once, as its time column
     * says): {@code queued} counts the outgoing messages that were ever queued (not those of {@code neverQueuedType},
     * stored as failed at once), {@code received} the incoming ones.
     */
    public record Reached(String projectId, String number, Direction direction, long queued, long received, long sent,
                          long delivered, long read, long failed, long expired, long cancelled) {}

    /** Every number's {@link Reached} counts, both ways: one pass over the table. */
    public List<Reached> reached(String neverQueuedType) {
        return database.withConnection(c -> Sql.query(c, "SELECT project_id, number, direction, "
                + "SUM(CASE WHEN type = ? THEN 0 ELSE 1 END), COUNT(sent_at), COUNT(delivered_at), COUNT(read_at), "
                + "COUNT(failed_at), COUNT(expired_at), COUNT(cancelled_at) FROM messages "
                + "GROUP BY project_id, number, direction", row -> {
                    Direction direction = Direction.of(row.getString(3));
                    long stored = row.getLong(4);
                    return new Reached(row.getString(1), row.getString(2), direction,
                            direction == Direction.OUT ? stored : 0, direction == Direction.IN ? stored : 0,
                            row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9), row.getLong(10));
                }, neverQueuedType));
    }

    static EventRecord mapEvent(ResultSet row) throws SQLException {
        return new EventRecord(row.getLong("id"), row.getString("project_id"), row.getLong("message_id"),
                row.getString("number"), row.getString("peer"),
                MessageStatus.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)),
                row.getString("error"), row.getLong("occurred_at"), row.getString("details"));
    }

    static MessageRecord map(ResultSet row) throws SQLException {
        return new MessageRecord(row.getLong("id"), row.getString("project_id"), row.getString("number"),
                Direction.of(row.getString("direction")), row.getString("peer"), row.getInt("shard"),
                Priority.ofRank(row.getInt("priority")), row.getString("type"), row.getBytes("body"),
                MessageStatus.ofRank(row.getInt("status_rank")), row.getString("network_id"), row.getString("error"),
                row.getInt("hook_state") == 1,
                new MessageRecord.Times(row.getLong("created_at"), Sql.nullableLong(row, "sent_at"),
                        Sql.nullableLong(row, "delivered_at"), Sql.nullableLong(row, "read_at"),
                        Sql.nullableLong(row, "failed_at"), Sql.nullableLong(row, "expired_at"),
                        Sql.nullableLong(row, "cancelled_at")),
                new SendOptions(row.getString("reply_to"), row.getLong("not_before"), row.getLong("expires_at")),
                row.getBytes("callback"), row.getBytes("origin"));
    }
}
