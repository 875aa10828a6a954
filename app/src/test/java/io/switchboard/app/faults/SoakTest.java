package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.Report;
import io.switchboard.app.bench.SoakDrill;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short soak of a real node process (-Xmx256m): sends over HTTP, users writing in over the simulated network's
 * TCP links, an instant reply to each, every report to the Event Webhook, for a minute, the node's live heap,
 * threads, file descriptors and store size sampled eight times; the drill fails if any grows without bound. The
 * hour-long soak is {@code ./switchboard bench soak}.
 */
class SoakTest {

    @Test
    void aMinuteOfEveryKindOfTrafficLeavesHeapThreadsDescriptorsAndStoreBounded() throws Exception {
        Report report = new Report("soak", System.out);

        new SoakDrill(Duration.ofMinutes(1), 400, "256m", 1).run(report);

        assertThat(report.value("sends_refused")).isZero();
        assertThat(report.value("sends_acknowledged")).isPositive();
        assertThat(report.value("incoming_delivered")).isPositive();
        assertThat(report.value("instant_replies_sent")).isPositive();
        assertThat(report.value("event_webhook_calls")).isPositive();
        for (String gauge : new String[] {"heap_live", "threads", "file_descriptors", "store_per_message"}) {
            assertThat(report.value(gauge + "_grows")).as(gauge + " grows").isZero();
        }
    }
}
