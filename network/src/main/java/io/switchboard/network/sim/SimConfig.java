package io.switchboard.network.sim;

import java.time.Duration;

/**
 * Settings of a {@link SimNetwork}. Start from {@link #defaults()} and adjust with the {@code with...} copies.
 *
 * @param port                 TCP port of the protocol listener; 0 picks an ephemeral port (default 5222)
 * @param statsPort            HTTP port of the stats/inspection server on 127.0.0.1; 0 = ephemeral (default 5280)
 * @param seed                 seed for the user population, user decisions and inbound generation (default 1)
 * @param users                size of the simulated user population, numbers "+1555" + 7 digits (default 10,000)
 * @param ackMillis            delay from SEND to SENT (default 5)
 * @param deliverMillis        delay from SENT to the delivered (or failed) STATUS (default 50)
 * @param readMillis           delay from delivered to read (default 300)
 * @param readProbability      chance a delivered message is read (default 0.9)
 * @param replyProbability     chance the recipient replies "re: " + first 40 chars of the body (default 0.2)
 * @param replyMillis          delay from delivered to the reply (default 500)
 * @param failProbability      chance the message fails with "user_unreachable" instead of delivered (default 0.0)
 * @param inboundRatePerNumber messages/s random users send to each logged-in number (default 0)
 * @param queueLimit           bound of each (number, shard) queue of items waiting for credit; overflow is
 *                             rejected and lost (default 10,000)
 * @param idleTimeout          a connection that sent nothing for this long is closed (default 30 s)
 */
public record SimConfig(int port, int statsPort, long seed, int users, long ackMillis, long deliverMillis,
                        long readMillis, double readProbability, double replyProbability, long replyMillis,
                        double failProbability, double inboundRatePerNumber, int queueLimit, Duration idleTimeout) {

    public SimConfig {
        if (port < 0 || port > 65_535 || statsPort < 0 || statsPort > 65_535) {
            throw new IllegalArgumentException("ports must be in [0, 65535]");
        }
        if (users < 1 || users > 1_000_000) {
            throw new IllegalArgumentException("users must be in [1, 1000000]");
        }
        if (ackMillis < 0 || deliverMillis < 0 || readMillis < 0 || replyMillis < 0) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
        checkProbability("readProbability", readProbability);
        checkProbability("replyProbability", replyProbability);
        checkProbability("failProbability", failProbability);
        if (inboundRatePerNumber < 0) {
            throw new IllegalArgumentException("inboundRatePerNumber must be >= 0");
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be >= 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]");
        }
    }

    public static SimConfig defaults() {
        return new SimConfig(5222, 5280, 1, 10_000, 5, 50, 300, 0.9, 0.2, 500, 0.0, 0, 10_000,
                Duration.ofSeconds(30));
    }

    public SimConfig withPort(int v) {
        return new SimConfig(v, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withStatsPort(int v) {
        return new SimConfig(port, v, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withSeed(long v) {
        return new SimConfig(port, statsPort, v, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withUsers(int v) {
        return new SimConfig(port, statsPort, seed, v, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withAckMillis(long v) {
        return new SimConfig(port, statsPort, seed, users, v, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withDeliverMillis(long v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, v, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withReadMillis(long v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, v, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withReadProbability(double v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, v,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withReplyProbability(double v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                v, replyMillis, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withReplyMillis(long v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, v, failProbability, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withFailProbability(double v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, v, inboundRatePerNumber, queueLimit, idleTimeout);
    }

    public SimConfig withInboundRatePerNumber(double v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, v, queueLimit, idleTimeout);
    }

    public SimConfig withQueueLimit(int v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, v, idleTimeout);
    }

    public SimConfig withIdleTimeout(Duration v) {
        return new SimConfig(port, statsPort, seed, users, ackMillis, deliverMillis, readMillis, readProbability,
                replyProbability, replyMillis, failProbability, inboundRatePerNumber, queueLimit, v);
    }
}
