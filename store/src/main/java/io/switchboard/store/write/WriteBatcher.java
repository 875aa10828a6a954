package io.switchboard.store.write;

import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.IdempotencyKey;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Messages;
import io.switchboard.store.Usage;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.db.StoreBusy;
import io.switchboard.store.db.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: every write of the node goes through here, and one thread applies whatever has queued up in a
 * single transaction. Callers get a future that completes only after the commit, which is what lets the API
 * answer 202 after a durable write at thousands of messages a second. Writes submitted together always land in
 * the same transaction (an instant reply and the Webhook call it answers, say).
 *
 * <p>Threads: callers only enqueue; the writer thread alone owns the connection and its prepared statements.
 */
public final class WriteBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBatcher.class);
    private static final String INSERT_COLUMNS = "messages (" + Messages.COLUMNS + ")";
    /** Old idempotency keys deleted per sweep: a bounded addition to one commit. */
    private static final int KEYS_FORGOTTEN_AT_ONCE = 5_000;
    private static final String INSERT_MARKS = "(" + String.join(", ",
            java.util.Collections.nCopies(Messages.COLUMNS.split(",").length, "?")) + ")";

    private record Group(List<Write> writes, CompletableFuture<int[]> done) {}

    private final Database database;
    private final int maxWritesPerCommit;
    private final int maxQueuedWrites;
    private final BlockingQueue<Group> queue = new LinkedBlockingQueue<>();
    /** Writes submitted and not yet committed (or failed). */
    private final AtomicInteger queuedWrites = new AtomicInteger();
    /** Commits the store refused since the start (a full disk, a lost connection): an operator's alarm. */
    private final java.util.concurrent.atomic.AtomicLong failedCommits = new java.util.concurrent.atomic.AtomicLong();
    /** Whether new work is being refused now (for logging once per spell). */
    private volatile boolean refusing;
    private final int usageSlot = java.util.concurrent.ThreadLocalRandom.current().nextInt(Usage.SLOTS);
    private final Thread writer;
    private volatile boolean running = true;

    // Owned by the writer thread.
    private Connection connection;

    /** A writer that never refuses work (tools, tests and benchmarks of the store alone). */
    public WriteBatcher(Database database, int maxWritesPerCommit) {
        this(database, maxWritesPerCommit, Integer.MAX_VALUE);
    }

    /**
     * {@code maxQueuedWrites}: how many writes may wait before {@link #submitIfRoom} refuses new work; what the node
     * owes to work it already took (statuses, webhook calls done) is always taken.
     */
    public WriteBatcher(Database database, int maxWritesPerCommit, int maxQueuedWrites) {
        this.database = database;
        this.maxWritesPerCommit = maxWritesPerCommit;
        this.maxQueuedWrites = maxQueuedWrites;
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).start(this::run);
    }

    public CompletableFuture<int[]> submit(List<Write> writes) {
        CompletableFuture<int[]> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new StoreException("the store is closing"));
            return done;
        }
        queuedWrites.addAndGet(writes.size());
        queue.add(new Group(List.copyOf(writes), done));
        return done;
    }

    /**
     * Like {@link #submit}, for new work the node may turn away (messages sent through the API): fails at once with
     * {@link StoreBusy} while more than {@code maxQueuedWrites} writes wait, so a flood is answered 503 instead of
     * filling the memory with writes the disk cannot keep up with.
     */
    public CompletableFuture<int[]> submitIfRoom(List<Write> writes) {
        int waiting = queuedWrites.get();
        if (waiting >= maxQueuedWrites) {
            if (!refusing) {
                refusing = true;
                LOG.warn("the store has {} writes waiting (at most {}): new messages are refused with 503 until it "
                        + "catches up", waiting, maxQueuedWrites);
            }
            return CompletableFuture.failedFuture(new StoreBusy("the store has " + waiting
                    + " writes waiting; try again in a moment"));
        }
        if (refusing) {
            refusing = false;
            LOG.info("the store caught up: new messages are taken again");
        }
        return submit(writes);
    }

    public CompletableFuture<int[]> submit(Write write) {
        return submit(List.of(write));
    }

    /** Writes waiting for the next commit, for metrics. */
    public int backlog() {
        return queue.size();
    }

    /** Group commits that failed since the start, for metrics: each failed every write it carried. */
    public long failedCommits() {
        return failedCommits.get();
    }

    private void run() {
        List<Group> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Group first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                int writes = first.writes().size();
                Group next;
                while (writes < maxWritesPerCommit && (next = queue.poll()) != null) {
                    batch.add(next);
                    writes += next.writes().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        closeConnection();
    }

    private void commit(List<Group> batch) {
        int writes = 0;
        for (Group group : batch) writes += group.writes().size();
        queuedWrites.addAndGet(-writes);
        try {
            Map<Write, Integer> results = apply(batch);
            for (Group group : batch) {
                int[] counts = new int[group.writes().size()];
                for (int i = 0; i < counts.length; i++) counts[i] = results.getOrDefault(group.writes().get(i), 1);
                group.done().complete(counts);
            }
        } catch (SQLException | RuntimeException e) {
            failedCommits.incrementAndGet();
            LOG.error("group commit of {} write groups failed: {}", batch.size(), e.getMessage());
            closeConnection();
            StoreException failure = new StoreException("the store did not take the write: " + e.getMessage(), e);
            for (Group group : batch) group.done().completeExceptionally(failure);
        }
    }

    private Map<Write, Integer> apply(List<Group> batch) throws SQLException {
        if (connection == null) connection = database.dataSource().getConnection();
        Statements statements = new Statements();
        for (Group group : batch) for (Write write : group.writes()) statements.add(write);
        // One transaction per commit, none held between: on the embedded store a transaction holds the write lock.
        connection.setAutoCommit(false);
        try {
            Map<Write, Integer> results = statements.execute(connection);
            connection.commit();
            return results;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The writes of one commit sorted by kind, applied kind by kind in an order that respects dependencies. */
    private final class Statements {
        private final List<Write.InsertMessage> incoming = new ArrayList<>();
        private final List<Write.InsertMessage> outgoing = new ArrayList<>();
        private final List<Write.InsertOnce> insertsOnce = new ArrayList<>();
        private final List<Write.ForgetKeys> forgets = new ArrayList<>();
        private final Map<MessageStatus, List<Write.ChangeStatus>> changes = new EnumMap<>(MessageStatus.class);
        private final List<Write.HookDone> hooksDone = new ArrayList<>();
        private final List<Write.EventDone> eventsDone = new ArrayList<>();
        private final List<Write.HookDead> hooksDead = new ArrayList<>();
        private final List<Write.EventDead> eventsDead = new ArrayList<>();
        private final List<Write.Handoff> handoffs = new ArrayList<>();
        private final List<Write.HandoffTaken> handoffsTaken = new ArrayList<>();
        private final List<Write.Reroute> reroutes = new ArrayList<>();
        private final Map<MessageStatus, List<Write.MemberStatus>> memberChanges = new EnumMap<>(MessageStatus.class);
        private final List<Write.SeenContact> contacts = new ArrayList<>();

        void add(Write write) {
            switch (write) {
                case Write.InsertMessage insert -> (insert.message().direction() == Direction.IN ? incoming : outgoing).add(insert);
                case Write.InsertOnce once -> insertsOnce.add(once);
                case Write.ForgetKeys forget -> forgets.add(forget);
                case Write.ChangeStatus change -> changes.computeIfAbsent(change.status(), s -> new ArrayList<>()).add(change);
                case Write.HookDone done -> hooksDone.add(done);
                case Write.EventDone done -> eventsDone.add(done);
                case Write.HookDead dead -> hooksDead.add(dead);
                case Write.EventDead dead -> eventsDead.add(dead);
                case Write.Handoff handoff -> handoffs.add(handoff);
                case Write.HandoffTaken taken -> handoffsTaken.add(taken);
                case Write.Reroute reroute -> reroutes.add(reroute);
                case Write.MemberStatus change -> memberChanges.computeIfAbsent(change.status(), s -> new ArrayList<>()).add(change);
                case Write.SeenContact seen -> contacts.add(seen);
            }
        }

        Map<Write, Integer> execute(Connection c) throws SQLException {
            Map<Write, Integer> results = new java.util.IdentityHashMap<>();
            List<EventRecord> events = new ArrayList<>();
            Usage.Tally usage = new Usage.Tally(usageSlot);
            for (Write.ForgetKeys forget : forgets) results.put(forget, forgetKeys(c, forget.before()));
            if (!insertsOnce.isEmpty()) claimKeys(c, results);
            // An incoming message the network delivered before (its network id is stored) is skipped; an outgoing
            // one is a plain insert, so an id stored already fails the commit instead of being dropped after a 202.
            insertMessages(c, database.dialect().insertIgnore(INSERT_COLUMNS, INSERT_MARKS), incoming, results, events,
                    usage);
            insertMessages(c, "INSERT INTO " + INSERT_COLUMNS + " VALUES " + INSERT_MARKS, outgoing, results, events,
                    usage);
            for (var entry : changes.entrySet()) {
                // Expired and cancelled replace queued only: never a status the network already reported.
                String over = entry.getKey().onlyFromQueued() ? "status_rank = 0 AND status_rank < ?" : "status_rank < ?";
                String sql = "UPDATE messages SET status_rank = ?, " + entry.getKey().timeColumn() + " = ?, network_id = COALESCE(?, network_id), "
                        + "error = COALESCE(?, error) WHERE id = ? AND " + over;
                List<Write.ChangeStatus> list = entry.getValue();
                int[] counts = batch(c, sql, list, change -> new Object[] {change.status().rank(), change.at(),
                        change.networkId(), change.error(), change.messageId(), change.status().rank()});
                record(results, list, counts);
                Usage.Kind counted = counted(entry.getKey());
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) continue;
                    Write.ChangeStatus change = list.get(i);
                    if (change.event() != null) events.add(change.event());
                    if (counted != null) usage.count(change.number(), change.at(), counted);
                }
            }
            for (List<Write.MemberStatus> list : memberChanges.values()) applyMemberStatuses(c, list, results, events, usage);
            if (!contacts.isEmpty()) upsertContacts(c);
            if (!events.isEmpty()) {
                batch(c, "INSERT INTO events (id, project_id, message_id, number, peer, status, error, occurred_at, "
                        + "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events, e -> new Object[] {e.id(), e.projectId(),
                        e.messageId(), e.number(), e.recipient(), e.status().label(), e.error(), e.occurredAt(),
                        e.details()});
            }
            if (!hooksDone.isEmpty()) {
                record(results, hooksDone, batch(c, "UPDATE messages SET hook_state = 0 WHERE id = ?", hooksDone,
                        done -> new Object[] {done.messageId()}));
            }
            if (!eventsDone.isEmpty()) {
                record(results, eventsDone, batch(c, "DELETE FROM events WHERE id = ?", eventsDone,
                        done -> new Object[] {done.eventId()}));
            }
            if (!hooksDead.isEmpty()) {
                record(results, hooksDead, batch(c, "UPDATE messages SET hook_state = 2, hook_error = ?, hook_failed_at = ? "
                        + "WHERE id = ? AND hook_state = 1", hooksDead, dead -> new Object[] {clip(dead.reason()), dead.at(),
                        dead.messageId()}));
            }
            if (!handoffs.isEmpty()) {
                record(results, handoffs, batch(c, database.dialect().insertIgnore(
                        "handoffs (message_id, number, shard, priority)", "(?, ?, ?, ?)"), handoffs,
                        h -> new Object[] {h.messageId(), h.number(), h.shard(), h.priority()}));
            }
            if (!reroutes.isEmpty()) {
                record(results, reroutes, batch(c, "UPDATE messages SET shard = ? WHERE id = ?", reroutes,
                        r -> new Object[] {r.shard(), r.messageId()}));
                batch(c, "UPDATE handoffs SET shard = ? WHERE message_id = ?", reroutes,
                        r -> new Object[] {r.shard(), r.messageId()});
            }
            if (!handoffsTaken.isEmpty()) {
                record(results, handoffsTaken, batch(c, "DELETE FROM handoffs WHERE message_id = ?", handoffsTaken,
                        taken -> new Object[] {taken.messageId()}));
            }
            if (!eventsDead.isEmpty()) {
                record(results, eventsDead, batch(c, "UPDATE events SET state = 2, failure = ?, failed_at = ? WHERE id = ?",
                        eventsDead, dead -> new Object[] {clip(dead.reason()), dead.at(), dead.eventId()}));
            }
            usage.writeTo(c, database); // last: its row locks are held only from here to the commit
            return results;
        }

        private void insertMessages(Connection c, String sql, List<Write.InsertMessage> inserts,
                                    Map<Write, Integer> results, List<EventRecord> events, Usage.Tally usage)
                throws SQLException {
            if (inserts.isEmpty()) return;
            int[] counts = batch(c, sql, inserts, insert -> row(insert.message()));
            record(results, inserts, counts);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) continue;
                MessageRecord message = inserts.get(i).message();
                if (inserts.get(i).event() != null) events.add(inserts.get(i).event());
                if (message.direction() == Direction.IN) usage.count(message.number(), message.times().created(), Usage.Kind.RECEIVED);
            }
        }

        /**
         * Moves each member forward (a first report inserts its row; a later one raises its rank), then, for those
         * that moved, the message too: the rank order of {@code memberChanges} puts a member's delivered before its
         * read in one commit.
         */
        private void applyMemberStatuses(Connection c, List<Write.MemberStatus> list, Map<Write, Integer> results,
                                         List<EventRecord> events, Usage.Tally usage) throws SQLException {
            int[] moved = upsertForward(c, list);
            Usage.Kind counted = counted(list.getFirst().status());
            List<Write.MemberStatus> forward = new ArrayList<>();
            for (int i = 0; i < moved.length; i++) {
                if (moved[i] == 0) {
                    results.put(list.get(i), 0);
                    continue;
                }
                Write.MemberStatus change = list.get(i);
                results.put(change, Write.MemberStatus.MEMBER_MOVED);
                if (change.event() != null) events.add(change.event());
                if (counted != null) usage.count(change.number(), change.at(), counted);
                if (change.status() != MessageStatus.FAILED) forward.add(change);
            }
            if (forward.isEmpty()) return;
            MessageStatus status = forward.getFirst().status();
            int[] messages = batch(c, "UPDATE messages SET status_rank = ?, " + status.timeColumn() + " = ? WHERE id = ? "
                    + "AND status_rank < ?", forward, change -> new Object[] {status.rank(), change.at(),
                    change.messageId(), status.rank()});
            for (int i = 0; i < messages.length; i++) {
                if (messages[i] != 0) results.put(forward.get(i), results.get(forward.get(i)) | Write.MemberStatus.MESSAGE_MOVED);
            }
        }

        /** Per member report: 1 when it moved the member forward, 0 when the member is there or past it already. */
        private int[] upsertForward(Connection c, List<Write.MemberStatus> list) throws SQLException {
            int[] moved = batch(c, database.dialect().insertIgnore("group_receipts (message_id, member, status_rank)",
                    "(?, ?, ?)"), list, change -> new Object[] {change.messageId(), change.member(), change.status().rank()});
            for (int i = 0; i < moved.length; i++) {
                if (moved[i] != 0) continue;
                Write.MemberStatus change = list.get(i);
                moved[i] = Sql.update(c, "UPDATE group_receipts SET status_rank = ? WHERE message_id = ? AND member = ? "
                        + "AND status_rank < ?", change.status().rank(), change.messageId(), change.member(),
                        change.status().rank());
            }
            return moved;
        }

        /** Inserts each contact new to its number, else brings its name and time up to this sighting if it is later. */
        private void upsertContacts(Connection c) throws SQLException {
            int[] inserted = batch(c, database.dialect().insertIgnore(
                    "contacts (number, user_number, project_id, profile_name, last_seen)", "(?, ?, ?, ?, ?)"), contacts,
                    seen -> new Object[] {seen.number(), seen.user(), seen.projectId(), seen.sealedName(), seen.at()});
            List<Write.SeenContact> known = new ArrayList<>();
            for (int i = 0; i < inserted.length; i++) if (inserted[i] == 0) known.add(contacts.get(i));
            if (known.isEmpty()) return;
            batch(c, "UPDATE contacts SET profile_name = ?, last_seen = ? WHERE number = ? AND user_number = ? "
                    + "AND last_seen <= ?", known, seen -> new Object[] {seen.sealedName(), seen.at(), seen.number(),
                    seen.user(), seen.at()});
        }

        /**
         * Claims each key and adds the writes of the claims that won to this commit's. A key still in use makes its
         * claim a no-op, whether another node's commit made it (PostgreSQL and MariaDB wait for that commit before
         * they decide) or an earlier claim in this batch; a key past its lifetime is taken over in place. No range
         * is deleted or locked here: on MariaDB, gap locks would deadlock two nodes claiming one key at once. Runs
         * before the messages and handoffs are written.
         */
        private void claimKeys(Connection c, Map<Write, Integer> results) throws SQLException {
            String sql = database.dialect().insertIgnore(
                    "idempotency_keys (project_id, idem_key, request_hash, status, answer, created_at)", "(?, ?, ?, ?, ?, ?)");
            int[] counts = batch(c, sql, insertsOnce, once -> {
                IdempotencyKey k = once.key();
                return new Object[] {k.projectId(), k.key(), k.requestHash(), k.status(), k.answer(), k.createdAt()};
            });
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) continue;
                Write.InsertOnce once = insertsOnce.get(i);
                IdempotencyKey k = once.key();
                counts[i] = Sql.update(c, "UPDATE idempotency_keys SET request_hash = ?, status = ?, answer = ?, "
                        + "created_at = ? WHERE project_id = ? AND idem_key = ? AND created_at < ?", k.requestHash(),
                        k.status(), k.answer(), k.createdAt(), k.projectId(), k.key(), once.forgetBefore());
            }
            record(results, insertsOnce, counts);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) insertsOnce.get(i).writes().forEach(this::add);
            }
        }
    }

    /**
     * Deletes up to {@value #KEYS_FORGOTTEN_AT_ONCE} keys made before {@code before}, found by a plain read and
     * deleted by their primary key, so that only those rows are locked. Answers how many went.
     */
    private static int forgetKeys(Connection c, long before) throws SQLException {
        List<Object[]> old = Sql.query(c, "SELECT project_id, idem_key FROM idempotency_keys WHERE created_at < ? LIMIT "
                + KEYS_FORGOTTEN_AT_ONCE,
                row -> new Object[] {row.getString(1), row.getString(2), before}, before);
        if (old.isEmpty()) return 0;
        int forgotten = 0;
        for (int count : batch(c, "DELETE FROM idempotency_keys WHERE project_id = ? AND idem_key = ? AND created_at < ?",
                old, key -> key)) {
            forgotten += count;
        }
        return forgotten;
    }

    /** The usage counter a status change adds to, if any. */
    private static Usage.Kind counted(MessageStatus status) {
        if (status == MessageStatus.SENT) return Usage.Kind.SENT;
        if (status == MessageStatus.DELIVERED) return Usage.Kind.DELIVERED;
        if (status == MessageStatus.READ) return Usage.Kind.READ;
        return null;
    }

    /** Reasons come from remote servers: kept to what the column holds. */
    private static String clip(String reason) {
        return reason == null || reason.length() <= 200 ? reason : reason.substring(0, 200);
    }

    private static Object[] row(MessageRecord m) {
        MessageRecord.Times t = m.times();
        return new Object[] {m.id(), m.projectId(), m.number(), m.direction().code(), m.peer(), m.shard(),
                m.priority().rank(), m.type(), m.sealedBody(), m.status().rank(), m.networkId(), m.error(),
                m.hookPending() ? 1 : 0, t.created(), t.sent(), t.delivered(), t.read(), t.failed(),
                m.options().replyTo(), orNull(m.options().notBefore()), orNull(m.options().expiresAt()), t.expired(),
                t.cancelled(), m.sealedCallback(), m.sealedOrigin()};
    }

    private static Long orNull(long time) {
        return time == 0 ? null : time;
    }

    private interface Binder<T> {
        Object[] values(T item);
    }

    private static <T> int[] batch(Connection c, String sql, List<T> items, Binder<T> binder) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (T item : items) {
                Sql.bind(statement, binder.values(item));
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    private static void record(Map<Write, Integer> results, List<? extends Write> writes, int[] counts) {
        for (int i = 0; i < counts.length; i++) results.put(writes.get(i), counts[i]);
    }

    private void closeConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the writer's connection: {}", e.getMessage());
        }
        connection = null;
    }

    /** Commits what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
