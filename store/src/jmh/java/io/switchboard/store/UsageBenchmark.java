package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Two ways to answer {@code GET /v1/numbers/{n}/usage} for 30 days, on a number with 1,000,000 messages over 30
 * days: counting the messages themselves (four GROUP BY queries by the day of {@code created_at}, {@code sent_at},
 * {@code delivered_at} and {@code read_at}; {@code index=true} adds an index on {@code (number, created_at)} and
 * bounds each query by it), or reading the daily counters the group commit keeps. What each costs the writes is
 * {@link UsageCommitBenchmark}.
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl store -am verify -DskipTests -Djmh.args="UsageBenchmark -p store=embedded"}
 * ({@code store}: embedded or postgresql; the server must be up).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UsageBenchmark {
    private static final String NUMBER = "+919800000001";
    private static final long DAY = 86_400_000L;
    private static final int ROWS = 1_000_000;
    private static final long START = LocalDate.of(2026, 1, 1).toEpochDay() * DAY;
    private static final LocalDate FROM = LocalDate.of(2026, 1, 1);
    private static final LocalDate TO = LocalDate.of(2026, 1, 30);

    @Param({"embedded", "postgresql"})
    public String store;

    @Param({"false", "true"})
    public boolean index;

    private Path dir;
    private TestStores.TestStore testStore;
    private Database database;
    private Usage usage;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        dir = Files.createTempDirectory("usage-bench");
        testStore = TestStores.open(TestStores.Kind.valueOf(store.toUpperCase(Locale.ROOT)), dir);
        database = Database.open(testStore.url(), testStore.user(), testStore.password());
        usage = new Usage(database);
        database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO messages (" + Messages.COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                SplittableRandom random = new SplittableRandom(1);
                byte[] body = new byte[60];
                for (int i = 0; i < ROWS; i++) {
                    long created = START + random.nextLong(30 * DAY - 120_000); // every status within the range
                    boolean in = random.nextInt(10) == 0;
                    Long delivered = !in && random.nextInt(10) < 9 ? created + 2_000 : null;
                    Long read = delivered != null && random.nextBoolean() ? created + 60_000 : null;
                    Sql.bind(insert, (long) i + 1, "p1", NUMBER, in ? "i" : "o", "+1555" + (1_000_000 + i % 100_000), 0, 2,
                            "text", body, read != null ? 3 : delivered != null ? 2 : 1, "wamid." + i, null, 0, created,
                            in ? null : created + 1_000, delivered, read, null);
                    insert.addBatch();
                    if (i % 5_000 == 4_999) insert.executeBatch();
                }
                insert.executeBatch();
            }
            // The counters hold what the group commit would have counted for these messages.
            Sql.update(c, "INSERT INTO usage_daily (number, utc_day, slot, sent_count, received_count, delivered_count, "
                    + "read_count) SELECT number, created_at / " + DAY + ", 0, SUM(CASE WHEN direction = 'o' THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN direction = 'i' THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN delivered_at IS NULL THEN 0 ELSE 1 END), "
                    + "SUM(CASE WHEN read_at IS NULL THEN 0 ELSE 1 END) FROM messages GROUP BY number, created_at / " + DAY);
            if (index) Sql.update(c, "CREATE INDEX messages_number_created ON messages (number, created_at)");
            return null;
        });
        if (database.dialect() == io.switchboard.store.db.Dialect.POSTGRESQL) {
            database.withConnection(c -> Sql.update(c, "ANALYZE messages"));
        }
        long[] fromMessages = countFromMessages();
        long[] fromCounters = readCounters();
        if (!java.util.Arrays.equals(fromMessages, fromCounters)) {
            throw new IllegalStateException("the two ways disagree: " + java.util.Arrays.toString(fromMessages) + " vs "
                    + java.util.Arrays.toString(fromCounters));
        }
    }

    @TearDown(Level.Trial)
    public void drop() throws Exception {
        database.close();
        testStore.close();
    }

    /** Per day of the range: sent, received, delivered, read, summed over the range (a checksum for the setup). */
    @Benchmark
    public long[] countFromMessages() {
        long[] totals = new long[4];
        String[] kinds = {"sent_at", "created_at", "delivered_at", "read_at"};
        long from = FROM.toEpochDay() * DAY;
        long to = (TO.toEpochDay() + 1) * DAY;
        database.withConnection(c -> {
            for (int k = 0; k < kinds.length; k++) {
                String column = kinds[k];
                // With the index, the rows are found by creation time, a day's margin either side for late reports.
                String bound = index ? " AND created_at >= " + (from - DAY) + " AND created_at < " + (to + DAY) : "";
                String direction = k == 1 ? " AND direction = 'i'" : "";
                for (long count : Sql.query(c, "SELECT " + column + " / " + DAY + ", COUNT(*) FROM messages WHERE number = ?"
                        + bound + direction + " AND " + column + " >= ? AND " + column + " < ? GROUP BY " + column + " / " + DAY,
                        row -> row.getLong(2), NUMBER, from, to)) {
                    totals[k] += count;
                }
            }
            return null;
        });
        return totals;
    }

    @Benchmark
    public long[] readCounters() {
        long[] totals = new long[4];
        for (Usage.Day day : usage.days(NUMBER, FROM, TO)) {
            for (Usage.Kind kind : Usage.Kind.values()) totals[kind.ordinal()] += day.count(kind);
        }
        return totals;
    }
}
