package io.switchboard.dispatcher;

import io.github.bucket4j.Bucket;
import io.switchboard.store.Project;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One project's Webhook or Event Webhook: its calls in per-user lanes, made by at most the project's concurrency
 * at once and at most its rate a second, behind a circuit breaker. A failed call is retried with backoff until its
 * retry window closes, then given up as a dead letter. An endpoint that answers 410 Gone asked to be switched off:
 * its calls become dead letters, without being tried, until the project sets another URL.
 *
 * <p>Threads: one virtual thread hands ready lanes out, each to a virtual thread of its own, as long as fewer than
 * the concurrency limit are under way; the lane's thread makes its head call.
 */
final class Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    private static final long WAIT_SLICE_MILLIS = 1_000;

    /** Where the endpoint's calls go and how they are made, read again for every call. */
    interface Target {
        Project project();

        String url(Project project);

        int concurrency(Project project);
    }

    private final String name;
    private final Target target;
    private final DispatcherSettings settings;
    private final WebhookClient client;
    private final DispatchCounters counters;
    private final Function<String, PayloadFormat> formats;
    private final ScheduledExecutorService timers;
    private final Backoff backoff;
    private final Circuit circuit;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Lane> ready = new LinkedBlockingQueue<>();
    private final Set<Lane> parked = ConcurrentHashMap.newKeySet();
    private final ReentrantLock slots = new ReentrantLock();
    private final Condition slotFree = slots.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private int underWay;
    private volatile int mostUnderWay; // written under the slots lock
    private volatile String lastUrl;
    /** How the endpoint's latest failed call failed: the reason for calls given up without a try of their own. */
    private volatile String lastFailure;
    private volatile String goneUrl;
    private volatile RateCap rateCap;
    private volatile boolean running = true;

    private record RateCap(int perSecond, Bucket bucket) {}

    Endpoint(String name, Target target, DispatcherSettings settings, WebhookClient client, DispatchCounters counters,
             Function<String, PayloadFormat> formats, ScheduledExecutorService timers) {
        this.name = name;
        this.target = target;
        this.settings = settings;
        this.client = client;
        this.counters = counters;
        this.formats = formats;
        this.timers = timers;
        this.backoff = new Backoff(settings.firstRetry(), settings.maxRetryDelay());
        this.circuit = new Circuit(settings.circuitFailures(), settings.firstRetry().toMillis(),
                settings.maxProbeInterval().toMillis(), System::currentTimeMillis);
        Thread.ofVirtual().name(name + "-calls").start(this::handOut);
    }

    /** Queues a call behind the earlier calls of its lane. */
    void add(String laneKey, Call call) {
        waiting.incrementAndGet();
        lanes.compute(laneKey, (key, lane) -> {
            Lane current = lane != null ? lane : new Lane(key);
            if (current.add(call)) ready.add(current);
            return current;
        });
    }

    /** Calls not yet taken or given up. */
    int waiting() {
        return waiting.get();
    }

    Circuit.State circuitState() {
        return circuit.state();
    }

    long recoveries() {
        return circuit.recoveries();
    }

    /** The most calls that were ever under way at once. */
    int mostUnderWay() {
        return mostUnderWay;
    }

    private void handOut() {
        while (running) {
            try {
                Lane lane = ready.poll(500, TimeUnit.MILLISECONDS);
                if (lane == null) continue;
                takeSlot();
                Thread.ofVirtual().name(name + "-call").start(() -> {
                    try {
                        serve(lane);
                    } finally {
                        freeSlot();
                    }
                });
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void takeSlot() throws InterruptedException {
        slots.lock();
        try {
            while (underWay >= Math.max(1, target.concurrency(target.project()))) slotFree.await();
            underWay++;
            mostUnderWay = Math.max(mostUnderWay, underWay);
        } finally {
            slots.unlock();
        }
    }

    private void freeSlot() {
        slots.lock();
        try {
            underWay--;
            slotFree.signal();
        } finally {
            slots.unlock();
        }
    }

    /** Makes the lane's head call once, then queues, parks or drops the lane. */
    private void serve(Lane lane) {
        Call call = lane.head();
        try {
            if (!awaitTurn(lane, call)) return;
            Project project = target.project();
            String url = target.url(project);
            if (url == null) { // the endpoint was removed: nobody is left to tell
                circuit.reset();
                call.taken(Answer.NO_ENDPOINT);
                done(lane);
                return;
            }
            if (!url.equals(lastUrl)) {
                lastUrl = url;
                circuit.reset(); // another server: its predecessor's failures say nothing about it
            }
            if (url.equals(goneUrl)) {
                circuit.reset();
                giveUp(lane, call, "the endpoint answered 410 Gone and is switched off until its URL changes");
                return;
            }
            throttle(project);
            Answer answer = client.post(project, url, call.id(), call.body(formats.apply(project.webhookFormat())));
            if (answer.ok()) {
                if (circuit.succeeded()) LOG.info("{}: {} takes calls again; its circuit is closed", name, hostOf(url));
                if (!parked.isEmpty()) unparkAll();
                call.taken(answer);
                done(lane);
            } else if (answer.status() == Answer.GONE) {
                circuit.succeeded(); // it answered: the circuit is not the problem
                goneUrl = url;
                LOG.warn("{}: the endpoint at {} answered 410 Gone; its calls become dead letters until its URL changes",
                        name, hostOf(url));
                unparkAll();
                giveUp(lane, call, "HTTP 410 Gone");
            } else {
                if (circuit.failed(answer.retryAfterMillis())) {
                    // The host only: a URL's path or query may carry the customer's secret.
                    LOG.warn("{}: {} is failing or asked us to wait (last: {}); circuit open, probing it while calls wait",
                            name, hostOf(url), answer.describe());
                }
                failed(lane, call, answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{}: call {} broke: {}", name, call.id(), e.toString(), e);
            circuit.failed(0);
            park(lane, backoff.delayMillis(++lane.failures));
        }
    }

    /**
     * Waits for the circuit to let this call out; gives the call up instead when its retry window closes first,
     * or the endpoint asked to be switched off. False when the call is done with.
     */
    private boolean awaitTurn(Lane lane, Call call) throws InterruptedException {
        while (running) {
            if (goneUrl != null && goneUrl.equals(target.url(target.project()))) return true; // serve() gives it up
            if (System.currentTimeMillis() - call.since() > settings.retryWindow().toMillis()) {
                String reason = lane.lastFailure != null ? lane.lastFailure : lastFailure;
                giveUp(lane, call, reason != null ? reason : "not tried: the endpoint kept failing");
                return false;
            }
            if (circuit.enter(WAIT_SLICE_MILLIS)) return true;
        }
        return false;
    }

    private void throttle(Project project) throws InterruptedException {
        int perSecond = project.webhookRate();
        if (perSecond <= 0) return;
        RateCap cap = rateCap;
        if (cap == null || cap.perSecond() != perSecond) {
            // A bucket of a tenth of a second's calls: a steady stream, never a burst of a whole second's worth.
            long capacity = Math.max(1, perSecond / 10);
            cap = new RateCap(perSecond, Bucket.builder().addLimit(limit -> limit.capacity(capacity)
                    .refillGreedy(perSecond, Duration.ofSeconds(1))).build());
            rateCap = cap;
        }
        cap.bucket().asBlocking().consume(1);
    }

    private void failed(Lane lane, Call call, Answer answer) {
        counters.failedCalls.increment();
        lane.failures++;
        lane.lastFailure = answer.describe();
        lastFailure = answer.describe();
        LOG.debug("{}: call {} failed ({}), attempt {}", name, call.id(), answer.describe(), lane.failures);
        if (System.currentTimeMillis() - call.since() > settings.retryWindow().toMillis()) {
            giveUp(lane, call, answer.describe());
        } else {
            park(lane, Math.max(backoff.delayMillis(lane.failures), answer.retryAfterMillis()));
        }
    }

    private void park(Lane lane, long delayMillis) {
        if (!running) return; // the node is stopping: what is owed stays in the store for the next start
        parked.add(lane);
        try {
            timers.schedule(() -> unpark(lane), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            parked.remove(lane); // the dispatcher closed meanwhile, with its timers: the same as above
        }
    }

    private void unpark(Lane lane) {
        if (parked.remove(lane)) ready.add(lane);
    }

    /** The server takes calls again: what waited out a backoff for it goes now, not when the longest one ends. */
    private void unparkAll() {
        parked.forEach(this::unpark);
    }

    private void giveUp(Lane lane, Call call, String reason) {
        call.givenUp(reason);
        done(lane);
    }

    private void done(Lane lane) {
        waiting.decrementAndGet();
        lanes.compute(lane.key, (key, current) -> {
            if (lane.pop()) {
                ready.add(lane);
                return lane;
            }
            return null;
        });
    }

    private static String hostOf(String url) {
        try {
            return java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "(unreadable URL)";
        }
    }

    void close() {
        running = false;
    }
}
