package io.switchboard.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.bench.Report;

/** What every drill that sends through a fault must show in its figures. */
final class Drills {
    private Drills() {}

    /** Each refusal a 503 with Retry-After, nothing else refused, nothing acknowledged lost, nothing sent without a 202. */
    static void assertNothingLost(Report report) {
        assertThat(report.value("answered_503_without_retry_after")).isZero();
        assertThat(report.value("answered_otherwise")).as("answers other than 202 and 503").isZero();
        assertThat(report.value("lost")).as("acknowledged, never reached the network").isZero();
        assertThat(report.value("sent_without_202")).as("reached the network without a 202").isZero();
    }
}
