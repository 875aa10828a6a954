package io.switchboard.app.bench;

/** One way users load the gateway, measured end to end; each run is bounded in time and stops by itself. */
interface Scenario {
    void run(BenchOptions options, Report report) throws Exception;
}
