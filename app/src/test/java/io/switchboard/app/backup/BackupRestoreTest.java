package io.switchboard.app.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.bench.AcknowledgedSends;
import io.switchboard.app.cli.Main;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.Ids;
import io.switchboard.store.db.Database;
import io.switchboard.store.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard backup} of a node's embedded store while real sends run, and {@code switchboard restore} of it
 * into a new data folder, where a node given the same master key serves every message acknowledged before the
 * backup began; and what restore and backup refuse (exit 2, with a message), changing nothing.
 */
class BackupRestoreTest {
    private static final String NUMBER = "+919800000001";
    /**
     * Slow enough that the messages acknowledged last before the backup are still only in SQLite's WAL (it is folded
     * into the store's file every 1,000 pages): a copy of the file alone would miss them.
     */
    private static final int SEND_RATE = 200;

    @TempDir Path tempDir;

    @Test
    void aBackupTakenUnderLoadRestoresToANodeThatServesWhatWasAcknowledgedBeforeIt() throws Exception {
        Path first = tempDir.resolve("first");
        Path backup = tempDir.resolve("backups/store.backup");
        Path second = tempDir.resolve("second");
        Path restored = second.resolve("data");
        SimConfig quiet = SimConfig.defaults().withReadProbability(0).withReplyProbability(0);
        String token;
        Set<Long> acknowledgedBefore;
        try (Harness node = new Harness(TestStores.Kind.EMBEDDED, first, quiet)) {
            token = node.project("backup");
            node.number(token, NUMBER, 5_000);
            try (AcknowledgedSends sends = new AcknowledgedSends(node.node.httpPort(), token, NUMBER,
                    node.network.users(), 2, SEND_RATE, 90_000)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sends.acknowledged() >= 500);
                Set<Long> before = sends.acknowledgedIds();
                acknowledgedBefore = before;
                Run backupRun = switchboard("backup", "--data", first.resolve("data").toString(), "--to", backup.toString());
                assertThat(backupRun.exit()).as(backupRun.err()).isZero();
                assertThat(backupRun.out()).contains("backup: ").contains("The master key is not in the backup");
                await().atMost(Duration.ofSeconds(10)).until(() -> sends.acknowledged() > before.size() + 100);
                assertThat(sends.answeredOtherwise()).as("sends answered with neither 202 nor 503").isZero();
            }
        }
        assertThat(backup.resolveSibling("store.backup.partial")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).as("the backup's mode").isEqualTo("rw-------");
        Path keyFile = first.resolve("data/master.key");
        String masterKey = Files.readString(keyFile).trim();
        byte[] backupBytes = Files.readAllBytes(backup);
        assertThat(contains(backupBytes, masterKey.getBytes(StandardCharsets.US_ASCII))).as("the key's base64 in the backup").isFalse();
        assertThat(contains(backupBytes, Base64.getDecoder().decode(masterKey))).as("the key's bytes in the backup").isFalse();

        Run restore = switchboard("restore", "--from", backup.toString(), "--data", restored.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("schema version").contains("Put the store's master.key in");

        assertThatThrownBy(() -> new Harness(TestStores.Kind.EMBEDDED, second, quiet).close())
                .as("a node without the store's master key").hasMessageContaining("another master key");
        Files.copy(keyFile, restored.resolve("master.key"), StandardCopyOption.REPLACE_EXISTING);
        try (Harness again = new Harness(TestStores.Kind.EMBEDDED, second, quiet)) {
            List<Long> notServed = new ArrayList<>();
            for (long id : acknowledgedBefore) {
                ApiClient.Answer answer = again.api.get("/v1/messages/" + Ids.format(id), token);
                if (answer.status() != 200 || !answer.body().path("text").path("body").asText().startsWith("m")) {
                    notServed.add(id);
                }
            }
            assertThat(notServed).as("of %d messages acknowledged before the backup, those the restored node does "
                    + "not serve with their body", acknowledgedBefore.size()).isEmpty();
        }
    }

    @Test
    void restoreAndBackupRefuseWhatTheyCannotDoAndChangeNothing() throws Exception {
        Path data = tempDir.resolve("data");
        Database.embedded(data).close();
        Path backup = tempDir.resolve("store.backup");
        assertThat(switchboard("backup", "--data", data.toString(), "--to", backup.toString()).exit()).isZero();

        Path occupied = tempDir.resolve("occupied");
        assertThat(switchboard("restore", "--from", backup.toString(), "--data", occupied.toString()).exit()).isZero();
        byte[] before = Files.readAllBytes(Database.embeddedFile(occupied));
        assertRefused(switchboard("restore", "--from", backup.toString(), "--data", occupied.toString()),
                "holds a store already", "--force");
        Path notSqlite = Files.writeString(tempDir.resolve("notes.txt"), "not a database");
        assertRefused(switchboard("restore", "--from", notSqlite.toString(), "--data", occupied.toString(), "--force"),
                "is not a Switchboard store (not an SQLite database)");
        Path otherDatabase = tempDir.resolve("other.db");
        execute(otherDatabase, "CREATE TABLE things (id INTEGER PRIMARY KEY)");
        assertRefused(switchboard("restore", "--from", otherDatabase.toString(), "--data", occupied.toString(), "--force"),
                "is not a Switchboard store (it has no schema history)");
        Path newer = Files.copy(backup, tempDir.resolve("newer.backup"));
        execute(newer, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                + "installed_by, execution_time, success) VALUES (999, '999', 'from a newer release', 'SQL', "
                + "'V999__newer.sql', 'test', 0, 1)");
        assertRefused(switchboard("restore", "--from", newer.toString(), "--data", occupied.toString(), "--force"),
                "newer than this release knows");
        try (Connection node = DriverManager.getConnection(Database.embeddedUrl(occupied)); // as a running node holds it
             Statement read = node.createStatement()) {
            read.execute("SELECT count(*) FROM flyway_schema_history");
            assertRefused(switchboard("restore", "--from", backup.toString(), "--data", occupied.toString(), "--force"),
                    "a node is using", "stop it");
        }
        assertThat(Files.readAllBytes(Database.embeddedFile(occupied))).as("the store of the folder refused").isEqualTo(before);
        assertThat(occupied.resolve("switchboard.db.restoring")).doesNotExist();

        Run forced = switchboard("restore", "--from", backup.toString(), "--data", occupied.toString(), "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();

        Path empty = tempDir.resolve("empty");
        assertRefused(switchboard("backup", "--data", empty.toString(), "--to", tempDir.resolve("x.backup").toString()),
                "does not exist");
        assertThat(empty.resolve("switchboard.db")).as("a backup of nothing makes no store").doesNotExist();
        assertRefused(switchboard("backup", "--db-url", "jdbc:postgresql://127.0.0.1:5432/test", "--to",
                tempDir.resolve("y.backup").toString()), "pg_dump or mariadb-dump");
    }

    private static void assertRefused(Run run, String... messageParts) {
        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
        assertThat(run.err()).contains(messageParts);
    }

    private static void execute(Path sqlite, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    /** What {@code switchboard ARGS} did in this process: its exit code, stdout and stderr. */
    private record Run(int exit, String out, String err) {}

    private static Run switchboard(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
