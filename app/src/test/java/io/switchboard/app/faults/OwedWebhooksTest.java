package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.OwedWebhooksDrill;
import io.switchboard.app.bench.Report;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real node process with a small heap (-Xmx192m) and a window of 500 owed calls in memory, one tenant's Webhook
 * down while 20,000 messages come in for it over TCP from the simulated network, another tenant's users writing
 * throughout: the node stays up, the other tenant's calls go on as before, and once the endpoint is back every owed
 * call is delivered (paged back from the store, 40 windows' worth).
 */
class OwedWebhooksTest {
    private static final long OWED = 20_000;

    @Test
    void aTenantsWebhookDownLeavesTheNodeUpTheOthersServedAndEverythingOwedDelivered() throws Exception {
        Report report = new Report("owed-webhooks", System.out);

        new OwedWebhooksDrill(OWED, "192m", 500, Duration.ofSeconds(5), 1).run(report);

        assertThat(report.value("node_alive")).isEqualTo(1);
        assertThat(report.value("lost")).as("owed calls never delivered").isZero();
        assertThat(report.value("delivered")).isEqualTo(OWED);
        // Generous on a shared 2-core machine: a tenant's backlog must not hold the other's calls back by seconds.
        assertThat(report.value("steady_with_backlog_p99_ms"))
                .as("the steady tenant's p99 with the other's backlog owed, against %s ms before",
                        report.value("steady_before_p99_ms"))
                .isLessThan(3 * report.value("steady_before_p99_ms") + 1_000);
    }
}
