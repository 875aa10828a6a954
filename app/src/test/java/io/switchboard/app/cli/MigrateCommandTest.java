package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.db.StoreException;
import io.switchboard.store.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard migrate} as the explicit step before nodes that do not migrate at start: such a node refuses a
 * store not migrated yet, saying what to run; after the step it starts; the step run again applies nothing.
 */
class MigrateCommandTest {
    private static final Map<String, Object> NO_MIGRATION_AT_START = Map.of("store.migrate-on-start", false);

    @TempDir Path tempDir;

    @Test
    void aNodeThatDoesNotMigrateStartsOnlyOnceTheStoreIsMigrated() throws Exception {
        assertThatThrownBy(() -> new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(), NO_MIGRATION_AT_START))
                .isInstanceOf(StoreException.class).hasMessageContaining("run `switchboard migrate`");

        String data = tempDir.resolve("data").toString();
        assertThat(migrate(data)).startsWith("schema: from version none to ").contains("migrations applied");
        assertThat(migrate(data)).as("run again").contains("nothing to apply");
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(), NO_MIGRATION_AT_START)) {
            assertThat(harness.api.get("/health", "").status()).isEqualTo(200);
        }
    }

    /** What {@code switchboard migrate --data DIR} prints; it must exit 0. */
    private static String migrate(String data) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("migrate", "--data", data)).isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
