package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.DiskFullDrill;
import io.switchboard.app.bench.Report;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real node process with its data folder (the embedded store) on a 32 MB tmpfs of the test's own, sends running
 * over HTTP while a file fills the disk to the last byte and is then removed: 503 with Retry-After while full,
 * sends taken again once the space is back, nothing acknowledged lost, and the stopped store passes SQLite's
 * integrity check with every acknowledged message in it and opens again.
 */
class DiskFullTest {

    @Test
    void sendsAreRefusedWhileTheDiskIsFullAndTheStoreSurvivesIntact() throws Exception {
        Machine.requireRoot();
        Machine.requireProgram("mount");
        Report report = new Report("disk-full", System.out);

        new DiskFullDrill(Duration.ofSeconds(5), 1).run(report);

        assertThat(report.value("answered_503")).as("503 while the disk was full").isPositive();
        Drills.assertNothingLost(report);
        assertThat(report.value("integrity_ok")).as("PRAGMA integrity_check").isEqualTo(1);
        assertThat(report.value("acknowledged_missing_in_store")).isZero();
        assertThat(report.value("started_again")).isEqualTo(1);
    }
}
