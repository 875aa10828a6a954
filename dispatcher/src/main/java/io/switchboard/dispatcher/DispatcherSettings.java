package io.switchboard.dispatcher;

import java.time.Duration;

/**
 * How webhook calls are paced and retried: at most {@code concurrencyPerEndpoint} calls at once to one endpoint
 * (unless the project sets its own), Event Webhook calls carrying up to {@code eventBatchSize} events or waiting at
 * most {@code eventBatchDelay} for more; a failed call is retried after {@code firstRetry}, doubling (with jitter)
 * up to {@code maxRetryDelay}, for {@code retryWindow}, then it is a dead letter. {@code circuitFailures} failures
 * in a row open an endpoint's circuit; it is probed after {@code firstRetry}, doubling up to {@code maxProbeInterval},
 * which bounds how long a server that came back waits for its calls. Each project keeps at most
 * {@code callsInMemory} owed Webhook calls, and as many events, in memory; the rest wait in the store.
 */
public record DispatcherSettings(int concurrencyPerEndpoint, int eventBatchSize, Duration eventBatchDelay,
                                 Duration firstRetry, Duration maxRetryDelay, Duration retryWindow,
                                 Duration requestTimeout, int circuitFailures, Duration maxProbeInterval,
                                 int callsInMemory) {
    public static DispatcherSettings defaults() {
        return new DispatcherSettings(12, 100, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(24), Duration.ofSeconds(10), 20, Duration.ofSeconds(10), 10_000);
    }
}
