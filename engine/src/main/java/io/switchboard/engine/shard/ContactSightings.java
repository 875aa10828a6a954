package io.switchboard.engine.shard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which sightings of a shard's users are worth a contact write: a user's first, one under another profile name, and
 * one at least {@code refresh} after the last written. A user who writes in every second then costs one write a
 * {@code refresh}, not one a message, and a contact's last sighting is kept to that precision. Remembers the
 * {@value #USERS} users seen last; used by the shard's pump thread only.
 */
final class ContactSightings {
    private static final int USERS = 50_000;

    private record Written(String name, long at) {}

    private final long refreshMillis;
    private final Map<String, Written> written = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > USERS;
        }
    };

    ContactSightings(Duration refresh) {
        this.refreshMillis = refresh.toMillis();
    }

    /** Whether this sighting is to be written; if so, it counts as written from now on. */
    boolean due(String user, String name, long at) {
        Written last = written.get(user);
        if (last != null && last.name().equals(name) && at - last.at() < refreshMillis) return false;
        written.put(user, new Written(name, at));
        return true;
    }
}
