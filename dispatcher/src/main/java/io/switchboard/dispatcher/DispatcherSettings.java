package io.switchboard.dispatcher;

import java.time.Duration;

/**
 * How webhook calls are paced and retried: at most {@code concurrencyPerEndpoint} calls at once to one URL,
 * Event Webhook calls carrying up to {@code eventBatchSize} events or waiting at most {@code eventBatchDelay} for
 * more, failed calls retried after {@code firstRetry}, doubling (with jitter) up to {@code maxRetryDelay}.
 */
public record DispatcherSettings(int concurrencyPerEndpoint, int eventBatchSize, Duration eventBatchDelay,
                                 Duration firstRetry, Duration maxRetryDelay, Duration requestTimeout) {
    public static DispatcherSettings defaults() {
        return new DispatcherSettings(12, 100, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(10));
    }
}
