package io.switchboard.api.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Dashboard logins, so a browser, which cannot send an Authorization header when it opens a page, need not carry
 * the token itself: a login with a token makes a random session id for an HttpOnly cookie, valid for
 * {@code lifetime} on this node, and only while the token it was made with is valid: a session keeps the token's
 * hash and is checked against it at each use, so revoking the token ends its sessions. Only the id is in the cookie;
 * the token itself is not kept.
 */
public final class DashboardSessions {
    private static final int MOST_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    private record Session(Viewer viewer, String tokenHash, long expiresAt) {}

    public DashboardSessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session for the viewer who logged in with the token of {@code tokenHash}; answers its id. */
    public String open(Viewer viewer, String tokenHash) {
        long now = clock.millis();
        if (sessions.size() >= MOST_SESSIONS) sessions.values().removeIf(s -> s.expiresAt() <= now);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(viewer, tokenHash, now + lifetime.toMillis()));
        return id;
    }

    /**
     * The viewer of a live session whose token {@code stillValid} accepts (by its hash); expired and unknown ids find
     * nobody, and a session whose token is no longer valid is closed.
     */
    public Optional<Viewer> viewer(String id, Predicate<String> stillValid) {
        if (id == null) return Optional.empty();
        Session session = sessions.get(id);
        if (session == null) return Optional.empty();
        if (session.expiresAt() <= clock.millis() || !stillValid.test(session.tokenHash())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session.viewer());
    }

    public void close(String id) {
        if (id != null) sessions.remove(id);
    }
}
