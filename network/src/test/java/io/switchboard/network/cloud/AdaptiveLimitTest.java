package io.switchboard.network.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.network.cloud.AdaptiveLimit.Outcome;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How the calls a link has under way at once follow what Meta takes. */
class AdaptiveLimitTest {
    private static final long MS = 1_000_000;
    private final AtomicLong clock = new AtomicLong();

    private AdaptiveLimit limit(int ceiling) {
        return new AdaptiveLimit(ceiling, clock::get);
    }

    /** One round trip: as many calls as the limit allows, all answered {@code latencyMs} later with the outcome. */
    private void roundTrip(AdaptiveLimit limit, long latencyMs, Outcome outcome) throws InterruptedException {
        int calls = limit.limit();
        long[] started = new long[calls];
        for (int i = 0; i < calls; i++) started[i] = limit.acquire();
        clock.addAndGet(latencyMs * MS);
        for (int i = 0; i < calls; i++) limit.release(started[i], outcome);
        clock.addAndGet(MS);
    }

    @Test
    void fastAnswersDoubleTheLimitEachRoundTripUpToTheCeiling() throws InterruptedException {
        AdaptiveLimit limit = limit(512);
        assertThat(limit.limit()).isEqualTo(AdaptiveLimit.INITIAL);
        roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).isEqualTo(64);
        roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).isEqualTo(128);
        for (int i = 0; i < 5; i++) roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).as("bounded by upstream.concurrency").isEqualTo(512);
        assertThat(limit(8).limit()).as("starts at the ceiling when it is lower").isEqualTo(8);
    }

    @Test
    void congestionHalvesTheLimitOncePerRoundTripThenItGrowsByOneARoundTrip() throws InterruptedException {
        AdaptiveLimit limit = limit(512);
        roundTrip(limit, 150, Outcome.OK);
        roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).isEqualTo(128);
        roundTrip(limit, 150, Outcome.CONGESTED);
        assertThat(limit.limit()).as("128 refusals of one round trip halve it once").isEqualTo(64);
        roundTrip(limit, 150, Outcome.CONGESTED);
        assertThat(limit.limit()).as("calls sent after the cut are a new episode").isEqualTo(32);
        roundTrip(limit, 150, Outcome.OK);
        roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).as("after congestion: about one more a round trip, not double").isBetween(33, 34);
        for (int i = 0; i < 10; i++) roundTrip(limit, 150, Outcome.CONGESTED);
        assertThat(limit.limit()).as("never below one").isEqualTo(AdaptiveLimit.MIN);
    }

    @Test
    void slowOrFinalAnswersDoNotGrowIt() throws InterruptedException {
        AdaptiveLimit limit = limit(512);
        roundTrip(limit, 150, Outcome.OK);
        assertThat(limit.limit()).isEqualTo(64);
        roundTrip(limit, 400, Outcome.OK);
        assertThat(limit.limit()).as("answers over twice the lowest latency: Meta is queueing").isEqualTo(64);
        roundTrip(limit, 150, Outcome.NEUTRAL);
        assertThat(limit.limit()).as("a final refusal says nothing of capacity").isEqualTo(64);
        roundTrip(limit, 250, Outcome.OK);
        assertThat(limit.limit()).isEqualTo(128);
    }

    @Test
    void callersWaitWhileTheLimitIsReached() throws InterruptedException {
        AdaptiveLimit limit = limit(2);
        long first = limit.acquire();
        limit.acquire();
        CountDownLatch third = new CountDownLatch(1);
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                limit.acquire();
                third.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(third.await(200, TimeUnit.MILLISECONDS)).as("two under way, the limit").isFalse();
        limit.release(first, Outcome.NEUTRAL);
        assertThat(third.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(limit.inFlight()).isEqualTo(2);
        waiting.join();
    }

    @Test
    void answersMapToOutcomes() {
        assertThat(CloudLink.outcome(new GraphAnswer.Sent("wamid.X"))).isEqualTo(Outcome.OK);
        assertThat(CloudLink.outcome(new GraphAnswer.Throttled())).isEqualTo(Outcome.CONGESTED);
        assertThat(CloudLink.outcome(new GraphAnswer.PairLimited())).isEqualTo(Outcome.CONGESTED);
        assertThat(CloudLink.outcome(new GraphAnswer.Transient("HTTP 503"))).isEqualTo(Outcome.CONGESTED);
        assertThat(CloudLink.outcome(new GraphAnswer.Rejected("131048", "spam"))).isEqualTo(Outcome.NEUTRAL);
        assertThat(CloudLink.outcome(null)).isEqualTo(Outcome.NEUTRAL);
    }
}
