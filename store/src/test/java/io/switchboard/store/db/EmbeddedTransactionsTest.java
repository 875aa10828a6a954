package io.switchboard.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Settings;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's transactions take SQLite's write lock when they begin. A deferred transaction that reads
 * first fails outright (SQLITE_BUSY_SNAPSHOT, no busy wait) when another connection commits before its first write:
 * the group commit reads old idempotency keys before it writes, and a token's last use is recorded on another
 * connection, so a send could be refused with 503 for nothing.
 */
class EmbeddedTransactionsTest {
    @TempDir Path dir;

    @Test
    void aTransactionThatReadsBeforeItWritesIsNotFailedByAWriteElsewhere() throws Exception {
        try (Database database = Database.embedded(dir)) {
            Settings settings = new Settings(database);
            try (Connection transaction = database.dataSource().getConnection()) {
                transaction.setAutoCommit(false);
                Sql.query(transaction, "SELECT name FROM settings", row -> row.getString(1));
                CompletableFuture<Void> elsewhere = CompletableFuture.runAsync(() -> settings.put("elsewhere", "1"));
                Thread.sleep(300); // long enough for the other write to commit, were it not made to wait
                Sql.update(transaction, "INSERT INTO settings (name, val) VALUES (?, ?)", "here", "1");
                transaction.commit();
                transaction.setAutoCommit(true);
                elsewhere.get(10, TimeUnit.SECONDS);
            }
            assertThat(settings.get("here")).contains("1");
            assertThat(settings.get("elsewhere")).contains("1");
        }
    }
}
