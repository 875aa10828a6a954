package io.switchboard.dispatcher;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter over the upper half, so a crowd of retries does not come back in step. */
final class Backoff {
    private final long firstMillis;
    private final long maxMillis;

    Backoff(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    long delayMillis(int attempt) {
        long ceiling = firstMillis << Math.min(attempt - 1, 30);
        if (ceiling <= 0 || ceiling > maxMillis) ceiling = maxMillis;
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
