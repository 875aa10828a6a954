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
 * The request rates on this node (each node of a cluster allows them on its own): a token bucket per project, so a
 * project cannot take more by making more tokens, and one per token within it. A request over either is refused with
 * 429 and the whole seconds until one more would pass. A project or token that goes over is logged once, when it
 * starts, not once per refused request.
 */
final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    /** Requests a second and the burst that may be spent at once; 0 a second: no limit. */
    record Rate(int perSecond, int burst) {}

    private final Limit projects;
    private final Limit tokens;

    RateLimits(Rate perProject, Rate perToken) {
        this.projects = new Limit("project", perProject);
        this.tokens = new Limit("token", perToken);
    }

    /** Takes one request from the project's and the token's budgets, or throws 429 with a {@code Retry-After}. */
    void take(ApiToken token) {
        projects.take(token.projectId(), token);
        tokens.take(token.id(), token);
    }

    /** Drops a revoked token's bucket. */
    void forget(String tokenId) {
        tokens.buckets.remove(tokenId);
    }

    /** One kind of limit: a bucket per key. */
    private static final class Limit {
        private final String kind;
        private final int perSecond;
        private final Bandwidth bandwidth;
        private final ConcurrentHashMap<String, Limited> buckets = new ConcurrentHashMap<>();

        Limit(String kind, Rate rate) {
            this.kind = kind;
            this.perSecond = rate.perSecond();
            this.bandwidth = rate.perSecond() == 0 ? null : Bandwidth.builder().capacity(rate.burst())
                    .refillGreedy(rate.perSecond(), Duration.ofSeconds(1)).build();
        }

        void take(String key, ApiToken token) {
            if (bandwidth == null) return;
            Limited limited = buckets.computeIfAbsent(key, k -> new Limited(Bucket.builder().addLimit(bandwidth).build()));
            ConsumptionProbe probe = limited.bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                limited.refusing = false;
                return;
            }
            long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            if (!limited.refusing) {
                limited.refusing = true;
                LOG.info("project {}: {} is over {} requests a second{}; refusing with 429 until it slows",
                        token.projectId(), kind, perSecond, kind.equals("token") ? " (token " + token.id() + ")" : "");
            }
            throw ApiError.rateLimited("more than " + perSecond + " requests a second for this " + kind + "; retry in "
                    + retryAfter + " s", retryAfter);
        }
    }

    /** A bucket, and whether it is refusing now (for logging once per spell). */
    private static final class Limited {
        final Bucket bucket;
        volatile boolean refusing;

        Limited(Bucket bucket) {
            this.bucket = bucket;
        }
    }
}
