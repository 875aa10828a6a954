package io.switchboard.app.cluster;

import io.switchboard.engine.Engine;
import io.switchboard.store.cluster.Leases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster of equal nodes sharing one database. Every heartbeat it renews its leases, stops
 * the shards whose lease it lost, and takes free or expired leases up to its fair share of the live nodes (handing
 * extras back when nodes join), so shards spread evenly and a dead node's shards are served again once its leases
 * expire. A node that cannot renew stops acting for its shards before its leases can expire; the network's epoch
 * check stops it should it try anyway.
 *
 * <p>Threads: one platform thread runs the rounds (a virtual thread could be starved by a busy node and miss its
 * lease); another takes the messages other nodes hand off to this node's shards.
 */
public final class ClusterMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    private static final int HANDOFFS_PER_POLL = 5_000;

    /** {@code address}: where this node's API is, as other nodes and people should call it. */
    public record Settings(String nodeId, String address, Duration heartbeat, Duration lease, Duration handoffPoll) {}

    private record Key(String number, int shard) {}

    private final Settings settings;
    private final Leases leases;
    private final Engine engine;
    /** Follows what other nodes changed in the store: numbers added or re-sharded, projects' settings. */
    private final Runnable followStore;
    /** The shards this node runs, with the epoch it holds each at. */
    private final Map<Key, Long> running = new HashMap<>();
    private volatile long validUntilNanos = System.nanoTime();
    private volatile boolean active = true;
    private final Thread rounds;
    private final Thread handoffs;

    public ClusterMember(Settings settings, Leases leases, Engine engine, Runnable followStore) {
        this.settings = settings;
        this.leases = leases;
        this.engine = engine;
        this.followStore = followStore;
        this.rounds = Thread.ofPlatform().name("cluster-" + settings.nodeId()).daemon(true).unstarted(this::roundLoop);
        this.handoffs = Thread.ofVirtual().name("handoffs").unstarted(this::handoffLoop);
    }

    public ClusterMember start() {
        rounds.start();
        handoffs.start();
        return this;
    }

    public String nodeId() {
        return settings.nodeId();
    }

    /** Whether this node may act for its shards now: its last renewal surely has not expired yet. */
    public boolean leaseValid() {
        return System.nanoTime() < validUntilNanos;
    }

    private void roundLoop() {
        long period = settings.heartbeat().toNanos();
        while (active) {
            long started = System.nanoTime();
            try {
                round(started);
            } catch (RuntimeException e) {
                LOG.warn("cluster round failed ({}); the shards stop acting if the leases cannot be renewed in time",
                        e.getMessage());
                if (!leaseValid()) stopAll("its leases could not be renewed");
            }
            long rest = period - (System.nanoTime() - started);
            if (rest > 0) java.util.concurrent.locks.LockSupport.parkNanos(rest);
        }
    }

    private synchronized void round(long started) {
        leases.heartbeat(settings.nodeId(), settings.address());
        List<Leases.Lease> held = leases.renew(settings.nodeId(), settings.lease().toMillis());
        Map<Key, Long> stillHeld = new HashMap<>();
        for (Leases.Lease lease : held) {
            Key key = new Key(lease.number(), lease.shard());
            if (running.containsKey(key)) {
                stillHeld.put(key, lease.epoch());
            } else { // taken by a round that failed before the shard started (or released by one that failed after)
                LOG.warn("shard {}/{}: leased at epoch {} but not running here; released", key.number(), key.shard(),
                        lease.epoch());
                leases.release(key.number(), key.shard(), settings.nodeId(), lease.epoch());
            }
        }
        for (Key key : List.copyOf(running.keySet())) {
            if (!running.get(key).equals(stillHeld.get(key))) {
                stop(key, "its lease was lost to another node");
            } else if (!engine.shardRunning(key.number(), key.shard())) {
                // Its worker ended (the network fenced it) while the lease is still ours: hand the lease back, or the
                // shard would be renewed every round and served by no one. It is taken again at a new epoch.
                handBack(key, "its worker stopped");
            }
        }
        // Valid until the renewal's start plus the lease, less a margin for clock drift and a slow round; only now
        // that the shards lost are stopped, or a node waking from a freeze would act for them a moment longer.
        validUntilNanos = started + settings.lease().toNanos() - settings.lease().toNanos() / 5;

        followStore.run();
        List<Leases.Node> live = leases.nodes().stream()
                .filter(n -> n.heartbeatAge() <= settings.lease().toMillis()).toList();
        List<Leases.Lease> all = leases.all();
        int target = fairShare(all.size(), live);
        List<Key> mine = new ArrayList<>(running.keySet());
        mine.sort(Comparator.comparing(Key::number).thenComparing(Key::shard).reversed());
        for (int i = 0; i < mine.size() - target; i++) { // too many: hand the extras back to the newcomers
            handBack(mine.get(i), "the cluster is being balanced");
        }
        long orphaned = 2 * settings.heartbeat().toMillis();
        Map<String, Long> shardCounts = all.stream().collect(java.util.stream.Collectors.groupingBy(Leases.Lease::number,
                java.util.stream.Collectors.counting()));
        for (Leases.Lease lease : all) {
            Key key = new Key(lease.number(), lease.shard());
            if (running.containsKey(key) || !(lease.owner() == null || lease.expiresIn() < 0)) continue;
            // Re-sharded since this node last looked: it opens the number on the new count at its next round first.
            int open = engine.line(lease.number()).map(line -> line.shards().count()).orElse(-1);
            if (open != shardCounts.get(lease.number())) continue;
            // Over its share a node takes only a lease nobody took for a while: availability before balance.
            if (running.size() >= target && !(lease.owner() != null && lease.expiresIn() < -orphaned)) continue;
            leases.acquire(lease.number(), lease.shard(), open, settings.nodeId(), settings.lease().toMillis())
                    .ifPresent(acquired -> start(key, open, acquired.epoch()));
        }
    }

    /** This node's fair share of the shards: an even split, the remainder to the nodes that sort first. */
    private int fairShare(int shards, List<Leases.Node> live) {
        List<String> ids = live.stream().map(Leases.Node::id).sorted().toList();
        int nodes = Math.max(1, ids.size());
        int rank = Math.max(0, ids.indexOf(settings.nodeId()));
        return shards / nodes + (rank < shards % nodes ? 1 : 0);
    }

    /**
     * Starts the shard whose lease this node just took (which has the calls owed for it read back). Whatever fails (the store,
     * a deadlock on MariaDB, say) hands the lease back at once: kept, it would be renewed every round and the shard
     * served by no one. Another round takes it again.
     */
    private void start(Key key, int shards, long epoch) {
        try {
            if (engine.startShard(key.number(), key.shard(), shards, epoch, this::leaseValid)) {
                running.put(key, epoch);
                LOG.info("shard {}/{}: taken over at epoch {}", key.number(), key.shard(), epoch);
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("shard {}/{}: could not start ({})", key.number(), key.shard(), e.getMessage());
            if (running.containsKey(key)) stop(key, "its takeover failed");
        }
        LOG.warn("shard {}/{}: leased at epoch {} but not started here; released", key.number(), key.shard(), epoch);
        leases.release(key.number(), key.shard(), settings.nodeId(), epoch);
    }

    /** Stops the shard here and frees its lease at once for another node (or this one, at a new epoch). */
    private void handBack(Key key, String why) {
        long epoch = running.get(key);
        stop(key, why);
        leases.release(key.number(), key.shard(), settings.nodeId(), epoch);
    }

    private void stop(Key key, String why) {
        engine.stopShard(key.number(), key.shard());
        running.remove(key);
        LOG.info("shard {}/{}: stopped here, {}", key.number(), key.shard(), why);
    }

    private synchronized void stopAll(String why) {
        for (Key key : List.copyOf(running.keySet())) stop(key, why);
    }

    private void handoffLoop() {
        while (active) {
            try {
                if (engine.takeHandoffs(HANDOFFS_PER_POLL) < HANDOFFS_PER_POLL) {
                    Thread.sleep(settings.handoffPoll().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("taking handed-off messages failed: {}", e.getMessage());
                try {
                    Thread.sleep(settings.heartbeat().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Leaves the cluster: the shards stop here and their leases are freed for the other nodes at once. */
    @Override
    public void close() {
        active = false;
        rounds.interrupt();
        handoffs.interrupt();
        try {
            rounds.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll("the node is stopping");
        try {
            leases.leave(settings.nodeId());
        } catch (RuntimeException e) {
            LOG.warn("could not free this node's leases ({}); the others take them when they expire", e.getMessage());
        }
    }
}
