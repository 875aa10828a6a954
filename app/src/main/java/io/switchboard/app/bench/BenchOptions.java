package io.switchboard.app.bench;

import java.time.Duration;

/**
 * The knobs every scenario reads; each scenario documents which it uses and its own defaults.
 *
 * @param duration how long load is applied (null: the scenario's default)
 * @param clients concurrent API clients (send)
 * @param bulk messages per request (send); 1 sends single-message requests
 * @param numbers business numbers the load is spread over
 * @param givenRate incoming messages a second in all (receive, chat, outage), or the soak's load; null: the default
 * @param messages how many messages to queue (backlog)
 * @param kannel also measure Kannel on this machine, right after, under the same load (send, chat)
 * @param shards shards of the number (failover)
 * @param kills how many times the owner of a shard is killed (failover)
 * @param database the kind of database server db-restart starts for itself and restarts
 * @param owed Webhook calls owed to the tenant that is down (owed-webhooks)
 * @param nodeHeap -Xmx of the node process (owed-webhooks, soak)
 * @param graphLatency how long Meta's stand-in takes to answer a send (upstream)
 * @param metaMps messages a second Meta's stand-in takes from a number (upstream)
 */
record BenchOptions(Rig.Store store, Duration duration, int clients, int bulk, int numbers, Double givenRate,
                    Duration down, long seed, long messages, boolean kannel, int shards, int kills,
                    String database, long owed, String nodeHeap, Duration graphLatency, int metaMps) {

    private static final double DEFAULT_RATE = 5_000;

    double rate() {
        return rateOr(DEFAULT_RATE);
    }

    double rateOr(double fallback) {
        return givenRate != null ? givenRate : fallback;
    }

    Duration durationOr(Duration fallback) {
        return duration != null ? duration : fallback;
    }
}
