package io.switchboard.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema as a step of its own: {@code switchboard migrate} brings a store up to date and says from what to what; a
 * node that does not migrate at start refuses a store not yet migrated; and no node runs on a schema a newer release
 * migrated (Flyway would ignore such a "future" migration by default, and the older node misread the store).
 */
class SchemaVersionsTest {
    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aStoreIsMigratedAsAStepCheckedByNodesAndANewerSchemaIsRefused(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, tempDir)) {
            assertThatThrownBy(() -> Database.open(store.url(), store.user(), store.password(), Schema.OnOpen.CHECK))
                    .as("an empty store, not migrated yet").isInstanceOf(StoreException.class)
                    .hasMessageContaining("run `switchboard migrate`");

            String latest;
            try (Database database = Database.open(store.url(), store.user(), store.password(), Schema.OnOpen.AS_IS)) {
                Schema.Migration migration = database.schema().migrate();
                assertThat(migration.from()).isEqualTo("none");
                assertThat(migration.applied()).isPositive();
                latest = migration.to();
                assertThat(database.schema().migrate().applied()).as("a second run applies nothing").isZero();
            }
            try (Database checked = Database.open(store.url(), store.user(), store.password(), Schema.OnOpen.CHECK)) {
                assertThat(checked.schema().version()).isEqualTo(latest);
            }

            try (Database database = Database.open(store.url(), store.user(), store.password(), Schema.OnOpen.AS_IS);
                 Connection c = database.dataSource().getConnection();
                 PreparedStatement future = c.prepareStatement("INSERT INTO flyway_schema_history (installed_rank, "
                         + "version, description, type, script, checksum, installed_by, execution_time, success) "
                         + "VALUES (999, '999', 'a newer release', 'SQL', 'V999__newer.sql', 0, 'test', 0, ?)")) {
                future.setBoolean(1, true);
                future.executeUpdate();
            }
            for (Schema.OnOpen onOpen : new Schema.OnOpen[] {Schema.OnOpen.MIGRATE, Schema.OnOpen.CHECK}) {
                assertThatThrownBy(() -> Database.open(store.url(), store.user(), store.password(), onOpen))
                        .as("a schema from a newer release, on %s", onOpen).isInstanceOf(StoreException.class)
                        .hasMessageContaining("newer release").hasMessageContaining(latest);
            }
        }
    }
}
