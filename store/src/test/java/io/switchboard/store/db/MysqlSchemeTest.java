package io.switchboard.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Settings;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db.url: jdbc:mysql://...} works, as the README says (the provider's own gateway runs on MySQL): the node's
 * store opens, migrates, writes and reads through that scheme, here against the MariaDB server, which speaks
 * MySQL's protocol.
 */
class MysqlSchemeTest {
    @TempDir Path tempDir;

    @Test
    void aJdbcMysqlUrlOpensTheStore() throws Exception {
        try (TestStores.TestStore mariadb = TestStores.open(TestStores.Kind.MARIADB, tempDir);
             Database database = Database.open(mariadb.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"),
                     mariadb.user(), mariadb.password())) {
            assertThat(database.dialect()).isEqualTo(Dialect.MARIADB);
            Settings settings = new Settings(database);
            settings.put("mysql_scheme", "works");
            assertThat(settings.get("mysql_scheme")).contains("works");
        }
        assertThat(Database.withMysqlScheme("jdbc:mysql://db:3306/sb?useSsl=true"))
                .isEqualTo("jdbc:mysql://db:3306/sb?useSsl=true&permitMysqlScheme");
        assertThat(Database.withMysqlScheme("jdbc:mariadb://db:3306/sb")).isEqualTo("jdbc:mariadb://db:3306/sb");
    }
}
