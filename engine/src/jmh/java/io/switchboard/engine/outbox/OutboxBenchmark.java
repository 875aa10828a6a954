package io.switchboard.engine.outbox;

import io.switchboard.store.Priority;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The strict priority queue in steady state: one {@link Outbox#add} and one {@link Outbox#poll} per operation on an
 * outbox already holding {@code depth} entries, with every entry {@code NORMAL} ({@code single}) or each of the four
 * priorities equally often ({@code mixed}; the lower levels then hold the backlog, as under load).
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl engine -am verify -DskipTests -Djmh.args=OutboxBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboxBenchmark {
    private static final int ENTRIES = 1 << 12; // a power of two: the index wraps with a mask

    @Param({"0", "1000", "100000"})
    public int depth;

    @Param({"single", "mixed"})
    public String mix;

    private OutboxEntry[] entries;
    private Outbox outbox;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        Priority[] priorities = Priority.values();
        entries = new OutboxEntry[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            Priority priority = switch (mix) {
                case "single" -> Priority.NORMAL;
                case "mixed" -> priorities[random.nextInt(priorities.length)];
                default -> throw new IllegalArgumentException("mix: " + mix);
            };
            entries[i] = new OutboxEntry(i, "1555" + (1_000_000 + i), priority, "text", "{\"body\":\"hello\"}");
        }
        outbox = new Outbox();
        for (int i = 0; i < depth; i++) outbox.add(entries[i & (ENTRIES - 1)]);
        next = depth;
    }

    @Benchmark
    public OutboxEntry addThenPoll() {
        outbox.add(entries[next++ & (ENTRIES - 1)]);
        return outbox.poll();
    }
}
