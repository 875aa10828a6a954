package io.switchboard.api;

import io.switchboard.engine.Engine;
import io.switchboard.network.Shards;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Numbers;
import java.time.Duration;
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
        boolean clustered = cluster.leases() != null;
        if (clustered) cluster.leases().block(number, 2 * cluster.leaseMillis() + DRAIN.toMillis());
        engine.stopNumber(number, DRAIN);
        // Every other owner stops at its next renewal, and cannot act past its lease even if it misses it.
        if (clustered) Thread.sleep(cluster.leaseMillis());
        numbers.reshard(number, shards, user -> Shards.of(user, shards));
        if (clustered) cluster.leases().reset(number, shards);
        BusinessNumber updated = new BusinessNumber(number, current.projectId(), current.tps(), shards,
                current.deliveryReports(), current.wrappedDataKey(), current.createdAt());
        engine.reopen(updated);
        LOG.info("number {}: re-sharded from {} to {} shards", number, current.shards(), shards);
        return updated;
    }
}
