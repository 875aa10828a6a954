package io.switchboard.engine;

import io.switchboard.engine.shard.ShardWorker;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Each project's room in the queues this node runs: once {@code perProject} of its messages wait here, its new sends
 * are refused with {@link QueueFull} until they go out, so one tenant's campaign against a slow budget cannot fill
 * the node's memory with queued ids. A project's count is read again at most every {@link #FRESH_MS} ms (a sum over
 * its shards' queues), so a send costs no walk of the shards; a project overshoots by at most what it sends meanwhile.
 */
final class QueueRoom {
    static final long FRESH_MS = 50;

    private record Count(long at, long waiting) {}

    private final int perProject;
    private final Clock clock;
    private final Supplier<Collection<NumberLine>> lines;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    QueueRoom(int perProject, Clock clock, Supplier<Collection<NumberLine>> lines) {
        this.perProject = perProject;
        this.clock = clock;
        this.lines = lines;
    }

    /** Why the project may not queue more here, if its queues are full (a room of 0 is no limit). */
    Optional<QueueFull> full(String projectId) {
        if (perProject == 0) return Optional.empty();
        long now = clock.millis();
        Count count = counts.get(projectId);
        if (count == null || now - count.at() >= FRESH_MS) {
            count = new Count(now, waiting(projectId));
            counts.put(projectId, count);
        }
        if (count.waiting() < perProject) return Optional.empty();
        return Optional.of(new QueueFull("the project has " + count.waiting() + " messages waiting to be sent on this node (at most "
                    + perProject + "); send more once they have gone out"));
    }

    private long waiting(String projectId) {
        long waiting = 0;
        for (NumberLine line : lines.get()) {
            if (!line.project().id().equals(projectId)) continue;
            for (ShardWorker worker : line.shards().running()) {
                for (int depth : worker.depths()) waiting += depth;
            }
        }
        return waiting;
    }
}
