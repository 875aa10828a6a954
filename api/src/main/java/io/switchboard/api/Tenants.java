package io.switchboard.api;

import io.github.bucket4j.Bucket;
import io.javalin.http.Context;
import io.switchboard.store.ApiTokens;
import io.switchboard.store.ApiTokens.Credential;
import io.switchboard.store.Project;
import io.switchboard.store.crypto.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling: the node's admin (one token, for making projects) or a project through one of its tokens.
 *
 * <p>A token's lookup is good for {@link #RECHECK}: the first request after that reads the store again, and the
 * other requests with the same token wait for that one read instead of making their own. So a token revoked on
 * any node sharing the store is refused here within {@code RECHECK} and one read, and otherwise a request costs one
 * SHA-256 and a map lookup. A token the store did not know is remembered for {@code RECHECK} too (at most
 * {@value #UNKNOWN_REMEMBERED} of them), so a client repeating a stale token costs one read; and tokens never seen
 * are read at most {@code unseenPerSecond} a second, beyond which they are answered 429 without a read, so made-up
 * tokens cannot turn requests into store reads for everyone. Revocations and project changes made through this node
 * apply here at once.
 */
final class Tenants {
    static final Duration RECHECK = Duration.ofMillis(500);
    private static final int UNKNOWN_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Tenants.class);
    /** last_used_at is written when the stored one is older than this: at most one write a minute per token. */
    private static final long TOUCH_EVERY_MS = 60_000;

    /** One read of the store for a token hash, begun at {@code startedAt} (epoch ms). */
    private record Lookup(long startedAt, CompletableFuture<Optional<Credential>> result) {
        boolean holds(Predicate<Credential> test) {
            return result.isDone() && !result.isCompletedExceptionally() && result.join().filter(test).isPresent();
        }
    }

    private final ApiTokens tokens;
    private final Function<String, Optional<Project>> projects;
    private final String adminTokenHash;
    private final Clock clock;
    private final ConcurrentHashMap<String, Lookup> byHash = new ConcurrentHashMap<>();
    /** Hashes of tokens the store did not know, with when it said so; the oldest go first past the bound. */
    private final Map<String, Long> unknown = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > UNKNOWN_REMEMBERED;
        }
    });
    /** Reads of tokens never seen here; null: no limit. */
    private final Bucket unseenReads;

    /** {@code unseenPerSecond}: store reads a second for tokens this node has not seen (0: no limit). */
    Tenants(ApiTokens tokens, Function<String, Optional<Project>> projects, String adminTokenHash, Clock clock,
            int unseenPerSecond) {
        this.tokens = tokens;
        this.projects = projects;
        this.adminTokenHash = adminTokenHash;
        this.clock = clock;
        this.unseenReads = unseenPerSecond == 0 ? null : Bucket.builder().addLimit(limit -> limit
                .capacity(unseenPerSecond).refillGreedy(unseenPerSecond, Duration.ofSeconds(1))).build();
    }

    void requireAdmin(String authorization) {
        if (!isAdmin(authorization)) throw ApiError.unauthorized();
    }

    /**
     * Whether the token with this hash still stands for the same caller: the admin's, or a project token not revoked
     * (read again from the store within {@link #RECHECK}). A dashboard session made with a token lasts only as long.
     */
    boolean stillValid(String tokenHash) {
        if (Tokens.sameHash(tokenHash, adminTokenHash)) return true;
        try {
            return current(tokenHash).result().join().isPresent();
        } catch (CompletionException storeDown) {
            return false;
        }
    }

    boolean isAdmin(String authorization) {
        String token = bearer(authorization);
        return token != null && Tokens.sameHash(Tokens.hash(token), adminTokenHash);
    }

    /**
     * The request's project: the one another node of the cluster passed it on for (its signature checked already,
     * {@link ClusterCalls}), or else its token's; 401 unless the token is one of a project's.
     */
    Project project(Context ctx) {
        String forwarded = ctx.attribute(ClusterCalls.VERIFIED_PROJECT);
        if (forwarded != null) return projects.apply(forwarded).orElseThrow(ApiError::unauthorized);
        return project(ctx.header("Authorization"));
    }

    /** The caller's project; 401 unless the token is one of a project's. */
    Project project(String authorization) {
        return caller(authorization).project();
    }

    /** The caller's token and project; 401 unless the token is one of a project's. */
    Credential caller(String authorization) {
        String token = bearer(authorization);
        if (token == null) throw ApiError.unauthorized();
        try {
            return current(Tokens.hash(token)).result().join().orElseThrow(ApiError::unauthorized);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Serves the project's new settings to requests from now on. */
    void update(Project project) {
        forget(project.id());
    }

    /** Refuses the project's tokens from now on (the project is gone from the store already). */
    void deleted(String projectId) {
        forget(projectId);
    }

    private void forget(String projectId) {
        byHash.values().removeIf(lookup -> lookup.holds(c -> c.project().id().equals(projectId)));
    }

    /** Refuses the token from now on (it is gone from the store already). */
    void revoked(String tokenId) {
        byHash.values().removeIf(lookup -> lookup.holds(c -> c.token().id().equals(tokenId)));
    }

    /** The lookup to wait for: a recent one, or a new read that this thread makes (one thread per token at a time). */
    private Lookup current(String hash) {
        while (true) {
            long now = clock.millis();
            Lookup seen = byHash.get(hash);
            if (seen != null && now - seen.startedAt() < RECHECK.toMillis()) return seen;
            if (seen == null && !mayRead(hash, now)) return new Lookup(now, CompletableFuture.completedFuture(Optional.empty()));
            Lookup mine = new Lookup(now, new CompletableFuture<>());
            boolean won = seen == null ? byHash.putIfAbsent(hash, mine) == null : byHash.replace(hash, seen, mine);
            if (won) {
                read(hash, mine);
                return mine;
            }
        }
    }

    private void read(String hash, Lookup lookup) {
        try {
            Optional<Credential> found = tokens.find(hash);
            if (found.isEmpty()) {
                byHash.remove(hash, lookup);
                unknown.put(hash, lookup.startedAt());
            } else {
                unknown.remove(hash);
                touchIfDue(found.get(), lookup.startedAt());
            }
            lookup.result().complete(found);
        } catch (RuntimeException e) {
            byHash.remove(hash, lookup);
            lookup.result().completeExceptionally(e);
        }
    }

    /**
     * Whether a token not looked up lately may be read from the store: not when the store said within
     * {@code RECHECK} that it does not know it (false: it is unknown), nor past the reads a second for tokens never
     * seen (429).
     */
    private boolean mayRead(String hash, long now) {
        Long refused = unknown.get(hash);
        if (refused != null && now - refused < RECHECK.toMillis()) return false;
        if (refused == null && unseenReads != null && !unseenReads.tryConsume(1)) {
            throw ApiError.rateLimited("too many requests with tokens this node does not know; retry in 1 s", 1);
        }
        return true;
    }

    /** Records the use off the request's path: the read that found the token was made for a request using it. */
    private void touchIfDue(Credential credential, long now) {
        Long last = credential.token().lastUsedAt();
        if (last != null && now - last < TOUCH_EVERY_MS) return;
        Thread.ofVirtual().start(() -> {
            try {
                tokens.touch(credential.token().id(), now);
            } catch (RuntimeException e) {
                LOG.debug("token {}: last use not recorded: {}", credential.token().id(), e.getMessage());
            }
        });
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
