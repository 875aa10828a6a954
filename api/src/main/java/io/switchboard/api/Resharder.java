package io.switchboard.api;

import io.switchboard.engine.Engine;
import io.switchboard.network.Shards;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Numbers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes how many shards carry a number, without losing or re-ordering a user's messages: every shard of the
 * number stops (in a cluster, on every node: their leases are taken away, and the change waits a lease's time, after
 * which no node can still be acting for them), what is sent gets its acks, the queued messages move to their shard
 * under the new count in one transaction, and the number opens again on its new shards.
 */
final class Resharder {
    private static final Logger LOG = LoggerFactory.getLogger(Resharder.class);
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final Engine engine;
    private final Numbers numbers;
    private final Api.Cluster cluster;

    Resharder(Engine engine, Numbers numbers, Api.Cluster cluster) {
        this.engine = engine;
        this.numbers = numbers;
        this.cluster = cluster;
    }

    /** Answers the number with its new shard count. */
    BusinessNumber reshard(BusinessNumber current, int shards) throws InterruptedException {
        String number = current.number();
        java.util.function.ToIntFunction<String> shardOf = user -> Shards.of(user, shards);
        if (cluster.leases() == null) {
            engine.stopNumber(number, DRAIN);
            numbers.reshard(number, shards, shardOf, c -> null);
        } else {
            long hold = 2 * cluster.leaseMillis();
            cluster.leases().block(number, hold);
            CountDownLatch moved = new CountDownLatch(1);
            Thread keeper = Thread.ofVirtual().name("reshard-hold-" + number).start(() -> keepBlocked(number, hold, moved));
            try {
                engine.stopNumber(number, DRAIN);
                // Every other owner stops at its next renewal, and cannot act past its lease even if it misses it.
                Thread.sleep(cluster.leaseMillis());
                // The new leases in the same commit: the count and the leases never disagree, whenever this node dies.
                numbers.reshard(number, shards, shardOf, cluster.leases().reset(number, shards));
            } finally {
                moved.countDown(); // not an interrupt: that would break the keeper's database connection mid-call
                keeper.join();
            }
        }
        BusinessNumber updated = new BusinessNumber(number, current.projectId(), current.tps(), shards,
                current.deliveryReports(), current.wrappedDataKey(), current.createdAt());
        engine.reopen(updated);
        LOG.info("number {}: re-sharded from {} to {} shards", number, current.shards(), shards);
        return updated;
    }

    /** Renews the hold on the number's leases every half of it, until the queue has moved (or the move failed). */
    private void keepBlocked(String number, long hold, CountDownLatch moved) {
        try {
            while (!moved.await(hold / 2, TimeUnit.MILLISECONDS)) {
                try {
                    cluster.leases().extendBlock(number, hold);
                } catch (RuntimeException e) {
                    LOG.warn("number {}: could not renew the re-shard's hold on its leases ({})", number, e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
