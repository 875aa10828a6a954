package io.switchboard.store.crypto;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Envelope encryption on the hot path: a number's {@link DataKey} sealing and opening a 200-byte message body
 * (AES-256-GCM, fresh nonce per seal), and the {@link Vault} unwrapping a data key under the master key.
 *
 * <p>Run: {@code ./mvnw -q -B -P jmh -pl store -am verify -DskipTests -Djmh.args=VaultBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VaultBenchmark {
    private static final String NUMBER = "15550001111";
    private static final long MESSAGE_ID = 7_301_234_567_890L;
    private static final String BODY = "x".repeat(200);

    private Vault vault;
    private byte[] wrappedKey;
    private DataKey dataKey;
    private byte[] sealed;

    @Setup
    public void setUp() {
        vault = Vault.of(new byte[32]);
        wrappedKey = vault.newWrappedDataKey(NUMBER);
        dataKey = vault.unwrap(NUMBER, wrappedKey);
        sealed = dataKey.seal(MESSAGE_ID, BODY);
        if (!dataKey.open(MESSAGE_ID, sealed).equals(BODY)) throw new IllegalStateException("body does not open");
    }

    @Benchmark
    public byte[] seal() {
        return dataKey.seal(MESSAGE_ID, BODY);
    }

    @Benchmark
    public String open() {
        return dataKey.open(MESSAGE_ID, sealed);
    }

    @Benchmark
    public DataKey unwrapDataKey() {
        return vault.unwrap(NUMBER, wrappedKey);
    }
}
