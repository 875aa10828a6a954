package io.switchboard.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.store.ApiToken;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-token request rate: a token bucket per project token, refilled at {@code perSecond} and holding up to
 * {@code burst}, on this node (each node of a cluster allows the rate on its own). A request over it is refused with
 * 429 and the whole seconds until one more would pass. A token that goes over is logged once, when it starts, not
 * once per refused request.
 */
final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    /** A token's bucket, and whether it is refusing now (for logging once per spell). */
    private static final class Limited {
        final Bucket bucket;
        volatile boolean refusing;

        Limited(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private final int perSecond;
    private final Bandwidth bandwidth;
    private final ConcurrentHashMap<String, Limited> byToken = new ConcurrentHashMap<>();

    /** {@code perSecond} 0: no limit. */
    RateLimits(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.bandwidth = perSecond == 0 ? null
                : Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
    }

    /** Takes one request from the token's budget, or throws 429 with a {@code Retry-After}. */
    void take(ApiToken token) {
        if (bandwidth == null) return;
        Limited limited = byToken.computeIfAbsent(token.id(), id -> new Limited(Bucket.builder().addLimit(bandwidth).build()));
        ConsumptionProbe probe = limited.bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            limited.refusing = false;
            return;
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        if (!limited.refusing) {
            limited.refusing = true;
            LOG.info("project {}: token {} is over {} requests a second; refusing with 429 until it slows",
                    token.projectId(), token.id(), perSecond);
        }
        throw ApiError.rateLimited("more than " + perSecond + " requests a second with this token; retry in "
                + retryAfter + " s", retryAfter);
    }

    /** Drops a revoked token's bucket. */
    void forget(String tokenId) {
        byToken.remove(tokenId);
    }
}
