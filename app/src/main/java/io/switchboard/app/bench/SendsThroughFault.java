package io.switchboard.app.bench;

import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The steps the fault drills take around their fault while sends run: wait for sends to be taken, wait for the
 * first 202 after the fault ends (the recovery), wait until what was acknowledged reached the network, report.
 */
final class SendsThroughFault {
    static final String NUMBER = "+919800000001";
    /** High enough that the budget never holds sends back: what is acknowledged goes at once. */
    static final int TPS = 5_000;
    static final int CLIENTS = 4;
    static final double RATE = 1_000;
    /** Below the 100,000 arrivals the simulated network keeps to be counted. */
    static final long MAX_MESSAGES = 90_000;
    /** Sends taken before a fault, and again after it, that prove the node takes sends. */
    static final long SOME = 1_000;
    static final Duration LIMIT = Duration.ofSeconds(180);

    private SendsThroughFault() {}

    /** A network that only takes sends: no reads, no replies, so all it receives is the load's. */
    static SimConfig quietNetwork(long seed) {
        return SimConfig.defaults().withSeed(seed).withPort(0).withStatsPort(0).withReadProbability(0).withReplyProbability(0);
    }

    /** Keeps a fault on until {@code length} after it began (a drill's {@code --down}); no wait when that is past. */
    static void sleepUntil(long beganNanos, Duration length) throws InterruptedException {
        long rest = length.toNanos() - (System.nanoTime() - beganNanos);
        if (rest > 0) Thread.sleep(rest / 1_000_000);
    }

    /** Waits until {@link #SOME} more sends than now are acknowledged. */
    static void awaitMoreAccepted(AcknowledgedSends sends, DrillNode node, String when) throws InterruptedException {
        long before = sends.acknowledged();
        await("sends acknowledged " + when, () -> sends.acknowledged() >= before + SOME, node);
    }

    /** Waits for the first 202 since {@link AcknowledgedSends#mark}; answers the seconds from {@code sinceNanos}. */
    static double awaitRecovery(AcknowledgedSends sends, DrillNode node, long sinceNanos) throws InterruptedException {
        await("a send acknowledged after the fault ended", () -> sends.firstAcceptedSinceMark() > 0, node);
        return Math.max(0, sends.firstAcceptedSinceMark() - sinceNanos) / 1e9;
    }

    /** Stops the sends and waits until every acknowledged one reached the network(s); answers the tally. */
    static AcknowledgedSends.Tally settle(AcknowledgedSends sends, Supplier<List<SimNetwork>> networks)
            throws InterruptedException {
        return settle(sends, networks, Set::isEmpty);
    }

    /**
     * Stops the sends and waits until what is still missing at the users is accounted for (nothing, unless the
     * drill knows where the rest went); answers the tally.
     */
    static AcknowledgedSends.Tally settle(AcknowledgedSends sends, Supplier<List<SimNetwork>> networks,
                                          Predicate<Set<Long>> accountedFor) throws InterruptedException {
        sends.stop();
        Measure.awaitUntil(() -> accountedFor.test(sends.tally(networks.get()).missing()), LIMIT);
        return sends.tally(networks.get());
    }

    /** The figures every drill prints: what was answered, lost, sent without a 202, sent twice. */
    static void report(Report report, AcknowledgedSends sends, AcknowledgedSends.Tally tally) {
        report(report, sends, tally, tally.missing().size());
    }

    /** The same, when the drill knows that only {@code lost} of the messages missing at the users are the node's. */
    static void report(Report report, AcknowledgedSends sends, AcknowledgedSends.Tally tally, long lost) {
        report.add("acknowledged", tally.acknowledged(), "msg");
        report.add("answered_503", sends.answered(503), "requests");
        report.add("answered_503_without_retry_after", sends.refusalsWithoutRetryAfter(), "requests");
        report.add("answered_otherwise", sends.answeredOtherwise(), "requests");
        report.add("not_answered", sends.answered(AcknowledgedSends.NO_ANSWER), "requests");
        report.add("lost", lost, "msg");
        report.add("sent_without_202", tally.unacknowledged(), "msg");
        report.add("duplicates", tally.duplicates(), "msg");
    }

    /** Waits up to {@link #LIMIT}; fails naming what did not happen, with the node's log. */
    static void await(String what, BooleanSupplier condition, DrillNode node) throws InterruptedException {
        await(what, condition, node, LIMIT);
    }

    static void await(String what, BooleanSupplier condition, DrillNode node, Duration limit) throws InterruptedException {
        if (!Measure.awaitUntil(condition, limit)) {
            throw new IllegalStateException("no " + what + " within " + limit.toSeconds() + " s; node log:\n"
                    + tail(node.process().log()));
        }
    }

    private static String tail(String log) {
        return log.length() <= 20_000 ? log : "..." + log.substring(log.length() - 20_000);
    }
}
