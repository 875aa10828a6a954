package io.switchboard.api.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard logins, so a browser, which cannot send an Authorization header when it opens a page, need not carry
 * the token itself: a login with a token makes a random session id for an HttpOnly cookie, valid for
 * {@code lifetime} on this node. Only the id is in the cookie; the token is not kept at all.
 */
public final class DashboardSessions {
    private static final int MOST_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    private record Session(Viewer viewer, long expiresAt) {}

    public DashboardSessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session for the viewer; answers its id. */
    public String open(Viewer viewer) {
        long now = clock.millis();
        if (sessions.size() >= MOST_SESSIONS) sessions.values().removeIf(s -> s.expiresAt() <= now);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(viewer, now + lifetime.toMillis()));
        return id;
    }

    /** The viewer of a live session; expired and unknown ids find nobody. */
    public Optional<Viewer> viewer(String id) {
        if (id == null) return Optional.empty();
        Session session = sessions.get(id);
        if (session == null) return Optional.empty();
        if (session.expiresAt() <= clock.millis()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session.viewer());
    }

    public void close(String id) {
        if (id != null) sessions.remove(id);
    }
}
