package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the two ways of {@link UsageBenchmark} cost the writes, which are the node's bottleneck: 500 messages
 * stored and then sent, as two group commits (the second adds its counter rows, as shipped), with and without the
 * index on {@code (number, created_at)} that counting from the messages would want; and the counter rows of one
 * commit (one number, one day) alone, rolled back, so that only their own work is measured and not the fsync they
 * share with the commit.
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl store -am verify -DskipTests -Djmh.args="UsageCommitBenchmark -p store=embedded"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UsageCommitBenchmark {
    private static final String NUMBER = "+919800000001";

    @Param({"embedded", "postgresql"})
    public String store;

    @Param({"false", "true"})
    public boolean index;

    private TestStores.TestStore testStore;
    private Database database;
    private WriteBatcher writer;

    @Setup
    public void open() throws Exception {
        Path dir = Files.createTempDirectory("usage-commit-bench");
        testStore = TestStores.open(TestStores.Kind.valueOf(store.toUpperCase(Locale.ROOT)), dir);
        database = Database.open(testStore.url(), testStore.user(), testStore.password());
        if (index) database.withConnection(c -> Sql.update(c, "CREATE INDEX messages_number_created ON messages (number, created_at)"));
        writer = new WriteBatcher(database, 2_000);
    }

    @TearDown
    public void close() throws Exception {
        writer.close();
        database.close();
        testStore.close();
    }

    @Benchmark
    public int[] store500ThenSendThem() {
        long now = System.currentTimeMillis();
        List<Write> inserts = new ArrayList<>(500);
        List<Write> changes = new ArrayList<>(500);
        for (int i = 0; i < 500; i++) {
            long id = ProcessIds.next();
            inserts.add(new Write.InsertMessage(new MessageRecord(id, "p1", NUMBER, Direction.OUT, "+1555" + (1_000_000 + i), 0,
                    Priority.NORMAL, "text", new byte[60], MessageStatus.QUEUED, null, null, false,
                    MessageRecord.Times.createdAt(now))));
            changes.add(new Write.ChangeStatus(id, NUMBER, MessageStatus.SENT, now + 1, "wamid." + id, null, null));
        }
        writer.submit(inserts).join();
        return writer.submit(changes).join();
    }

    @Benchmark
    public void counterRowsOfOneCommit() throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            Usage.Tally tally = new Usage.Tally(0);
            for (int i = 0; i < 500; i++) tally.count(NUMBER, 1_000L + i, Usage.Kind.SENT);
            tally.writeTo(c, database);
            c.rollback();
        }
    }
}
