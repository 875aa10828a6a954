package io.switchboard.network;

/**
 * Where and as what a {@link ShardLink} logs in.
 *
 * @param window          how many INBOUND+STATUS frames the network may have outstanding (unacked) toward this link
 * @param deliveryReports whether the network reports "delivered" for messages sent on this link (read and failed
 *                        reports come either way)
 */
public record LinkTarget(String host, int port, String number, int shard, int shardCount, long epoch, int window,
                         boolean deliveryReports) {
    public LinkTarget {
        if (shardCount < 1 || shard < 0 || shard >= shardCount) {
            throw new IllegalArgumentException("shard " + shard + " not in [0, " + shardCount + ")");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
    }

    public LinkTarget withDeliveryReports(boolean wanted) {
        return new LinkTarget(host, port, number, shard, shardCount, epoch, window, wanted);
    }
}
