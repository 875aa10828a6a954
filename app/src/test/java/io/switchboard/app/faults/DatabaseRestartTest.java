package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.DatabaseRestartDrill;
import io.switchboard.app.bench.Report;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real node process on a PostgreSQL cluster, or a MariaDB server, of the test's own (made for it on a free port
 * and removed after; the shared servers are never restarted), sends running over HTTP while the server is stopped
 * and started again: 503 with Retry-After while it is down, the node takes sends again by itself, and every id
 * acknowledged with 202 reached the simulated network, and nothing else did.
 */
class DatabaseRestartTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postgresql, pg_createcluster", "mariadb, mariadb-install-db"})
    void sendsAreRefusedWhileTheDatabaseIsDownAndNothingAcknowledgedIsLost(String database, String tool) throws Exception {
        Machine.requireProgram(tool);
        Report report = new Report("db-restart", System.out);

        new DatabaseRestartDrill(database, Duration.ofSeconds(5), 1).run(report);

        assertThat(report.value("answered_503")).as("503 while the database was down").isPositive();
        Drills.assertNothingLost(report);
    }
}
