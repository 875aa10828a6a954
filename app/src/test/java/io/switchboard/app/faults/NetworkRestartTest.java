package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.NetworkRestartDrill;
import io.switchboard.app.bench.Report;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real node process with four links (TCP) to the simulated network, sends running over HTTP while the network is
 * killed (every connection cut, nothing it owed acknowledged) and started again on the same port: the node keeps
 * taking sends meanwhile, every link logs in again by itself, every acknowledged id reached one of the network's two
 * runs and nothing else did; duplicates (sends in flight at the kill, sent again) are counted, not refused.
 */
class NetworkRestartTest {

    @Test
    void linksReconnectAfterTheNetworkIsKilledAndNothingAcknowledgedIsLost() throws Exception {
        Report report = new Report("network-restart", System.out);

        new NetworkRestartDrill(Duration.ofSeconds(3), 1).run(report);

        assertThat(report.value("answered_503")).as("sends are taken while the network is away").isZero();
        Drills.assertNothingLost(report);
        assertThat(report.value("duplicates")).as("at-least-once: counted, within what was in flight")
                .isLessThan(report.value("acknowledged"));
    }
}
