package io.switchboard.dispatcher.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The node's media fetch slots, shared among projects: at most {@code total} fetches at once, and at most
 * {@code perProject} of them for one project, so that a project whose links are slow holds its share only and the
 * other projects' fetches go on in the rest. A fetch waits for its project's share first, so that while it waits it
 * holds none of the node's slots.
 */
final class FetchSlots {
    /** A fetch's slot, given back on close. */
    record Held(Semaphore share, Semaphore total) implements AutoCloseable {
        @Override
        public void close() {
            total.release();
            share.release();
        }
    }

    private final Semaphore total;
    private final int perProject;
    /** Each project's share, by project id; one small entry per project that ever fetched. */
    private final Map<String, Semaphore> shares = new ConcurrentHashMap<>();

    FetchSlots(int total, int perProject) {
        this.total = new Semaphore(total);
        this.perProject = perProject;
    }

    /** Waits for a slot of the project's share and one of the node's. */
    Held take(String projectId) {
        Semaphore share = shares.computeIfAbsent(projectId, id -> new Semaphore(perProject));
        share.acquireUninterruptibly();
        total.acquireUninterruptibly();
        return new Held(share, total);
    }
}
