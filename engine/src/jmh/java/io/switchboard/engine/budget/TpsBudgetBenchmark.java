package io.switchboard.engine.budget;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The TPS budget's per-message cost: {@link TpsBudget#tryTake()} when a token is there (a budget far above what
 * one thread can draw) and when the bucket is dry (the caller is told how long to wait), and
 * {@link TpsBudget#record(Kind)}.
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl engine -am verify -DskipTests -Djmh.args=TpsBudgetBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TpsBudgetBenchmark {
    private static final Kind[] KINDS = Kind.values();

    private TpsBudget plenty;
    private TpsBudget dry;
    private int kind;

    @Setup
    public void setUp() {
        plenty = new TpsBudget(1_000_000_000d);
        dry = new TpsBudget(1d); // capacity 1, refilled once a second, starts empty
    }

    @Benchmark
    public long tryTakeAvailable() {
        return plenty.tryTake();
    }

    @Benchmark
    public long tryTakeDry() {
        return dry.tryTake();
    }

    @Benchmark
    public void record() {
        plenty.record(KINDS[kind++ & 3]);
    }
}
