package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Daily usage counters per number and UTC day: sent, received, delivered and read. They are added to by the group
 * commit that writes what they count ({@link Tally}), so they agree with the messages exactly, survive kill -9
 * together with them, and outlive any later clean-up of old messages. Each writer adds to one of {@link #SLOTS}
 * rows per number and day, so writers on several nodes rarely wait on each other's row lock; reading a year is one
 * indexed range of a few rows a day, where counting the messages themselves would scan every message of the range.
 */
public final class Usage {
    /** Rows per number and day that writers spread over. */
    public static final int SLOTS = 64;
    private final Database database;

    public Usage(Database database) {
        this.database = database;
    }

    /** What is counted; the column each kind adds to. */
    public enum Kind {
        SENT("sent_count"), RECEIVED("received_count"), DELIVERED("delivered_count"), READ("read_count");

        private final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    /** One day's counts, indexed by {@link Kind#ordinal()}. */
    public record Day(LocalDate date, long[] counts) {
        public long count(Kind kind) {
            return counts[kind.ordinal()];
        }
    }

    /** The number's days from {@code from} to {@code to}, both included, oldest first; days with nothing are absent. */
    public List<Day> days(String number, LocalDate from, LocalDate to) {
        return database.withConnection(c -> Sql.query(c, "SELECT utc_day, SUM(sent_count), SUM(received_count), "
                + "SUM(delivered_count), SUM(read_count) FROM usage_daily WHERE number = ? AND utc_day >= ? AND utc_day <= ? "
                + "GROUP BY utc_day ORDER BY utc_day",
                row -> new Day(LocalDate.ofEpochDay(row.getLong(1)),
                        new long[] {row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5)}),
                number, (int) from.toEpochDay(), (int) to.toEpochDay()));
    }

    /**
     * What one commit adds, summed per number and day, written by that commit into the writer's slot: a row per
     * number and day, however many messages it carries. Rows are written in key order, so two writers that share a
     * slot lock them in the same order. Owned by the thread that builds the commit.
     */
    public static final class Tally {
        private static final long DAY_MS = 86_400_000L;
        private final int slot;
        private final Map<String, long[]> counts = new TreeMap<>(); // "number day" -> counts by Kind

        /** {@code slot}: the writer's, 0 to {@link #SLOTS} - 1. */
        public Tally(int slot) {
            this.slot = slot;
        }

        public void count(String number, long atMillis, Kind kind) {
            String key = number + " " + Math.floorDiv(atMillis, DAY_MS);
            counts.computeIfAbsent(key, k -> new long[Kind.values().length])[kind.ordinal()]++;
        }

        public void writeTo(Connection c, Database database) throws SQLException {
            if (counts.isEmpty()) return;
            String add = "UPDATE usage_daily SET " + Kind.SENT.column + " = " + Kind.SENT.column + " + ?, "
                    + Kind.RECEIVED.column + " = " + Kind.RECEIVED.column + " + ?, "
                    + Kind.DELIVERED.column + " = " + Kind.DELIVERED.column + " + ?, "
                    + Kind.READ.column + " = " + Kind.READ.column + " + ? WHERE number = ? AND utc_day = ? AND slot = ?";
            try (PreparedStatement create = c.prepareStatement(database.dialect().insertIgnore(
                         "usage_daily (number, utc_day, slot, sent_count, received_count, delivered_count, read_count)",
                         "(?, ?, ?, 0, 0, 0, 0)"));
                 PreparedStatement update = c.prepareStatement(add)) {
                for (var entry : counts.entrySet()) {
                    String[] key = entry.getKey().split(" ");
                    int day = Integer.parseInt(key[1]);
                    Sql.bind(create, key[0], day, slot);
                    create.addBatch();
                    long[] n = entry.getValue();
                    Sql.bind(update, n[0], n[1], n[2], n[3], key[0], day, slot);
                    update.addBatch();
                }
                create.executeBatch();
                update.executeBatch();
            }
        }
    }
}
