package io.switchboard.metrics.live;

import io.switchboard.engine.Engine;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.budget.Kind;
import io.switchboard.metrics.NodeMetrics;
import io.switchboard.metrics.WebhookLatency;
import io.switchboard.metrics.census.MessageCensus;
import io.switchboard.metrics.shards.ShardMap;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard draws: a {@link Sample} of the node every second, and each number's TPS in use per kind over
 * the last {@code window} (five minutes by default), so a page that opens sees the recent past at once.
 *
 * <p>Threads: one daemon thread takes the samples and alone writes the history; viewers read under {@code lock}
 * and wait on {@code ticked} for the next sample, each on its own thread, so a slow viewer delays nobody.
 */
public final class LiveHistory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHistory.class);
    private static final long LATENCY_WINDOW_MILLIS = 60_000;

    private final Engine engine;
    private final NodeMetrics metrics;
    private final WebhookLatency latency;
    private final MessageCensus census;
    private final ShardMap shards;
    private final java.util.function.ToLongFunction<String> backlog;
    private final int points;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("live-history").daemon(true).factory());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ticked = lock.newCondition();
    // Written by the ticker only; read by viewers under lock.
    private final Map<String, Deque<Sample.Point>> history = new HashMap<>();
    private Sample latest = Sample.EMPTY;
    // The ticker's own state.
    private final Map<String, long[]> usedBefore = new HashMap<>();
    private long before;
    private final Deque<LatencyAt> latencies = new ArrayDeque<>();
    private long seq;

    private record LatencyAt(long at, Map<WebhookLatency.Key, long[]> buckets) {}

    /** The figures' sources; {@code backlog} answers a project's calls still owed. */
    public record Parts(Engine engine, NodeMetrics metrics, WebhookLatency latency, MessageCensus census,
                        ShardMap shards, java.util.function.ToLongFunction<String> backlog) {}

    public LiveHistory(Parts parts, Duration window) {
        this.engine = parts.engine();
        this.metrics = parts.metrics();
        this.latency = parts.latency();
        this.census = parts.census();
        this.shards = parts.shards();
        this.backlog = parts.backlog();
        this.points = (int) Math.max(10, window.toSeconds());
    }

    public LiveHistory start() {
        tick();
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** The latest sample, for what the viewer may see. */
    public Sample latest(Predicate<String> projectVisible) {
        lock.lock();
        try {
            return latest.only(projectVisible);
        } finally {
            lock.unlock();
        }
    }

    /** The next sample after {@code seq}, waiting for it at most {@code timeout}; empty when none came. */
    public Optional<Sample> next(long seq, Duration timeout, Predicate<String> projectVisible) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (latest.seq() <= seq) {
                if (nanos <= 0) return Optional.empty();
                nanos = ticked.awaitNanos(nanos);
            }
            return Optional.of(latest.only(projectVisible));
        } finally {
            lock.unlock();
        }
    }

    /** Each visible number's TPS in use per kind, a point a second over the window, oldest first. */
    public Map<String, List<Sample.Point>> history(Predicate<String> projectVisible) {
        lock.lock();
        try {
            Map<String, List<Sample.Point>> visible = new LinkedHashMap<>();
            for (Sample.NumberFigures number : latest.numbers()) {
                if (projectVisible.test(number.projectId())) {
                    visible.put(number.number(), List.copyOf(history.getOrDefault(number.number(), new ArrayDeque<>())));
                }
            }
            return visible;
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        try {
            Sample sample = sample(System.currentTimeMillis());
            lock.lock();
            try {
                latest = sample;
                ticked.signalAll();
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) { // a store that is down must not stop the ticks
            LOG.warn("dashboard sample failed: {}", e.toString());
        }
    }

    private Sample sample(long now) {
        double seconds = before == 0 ? 1 : Math.max(0.001, (now - before) / 1000.0);
        List<Sample.NumberFigures> numbers = new ArrayList<>();
        Map<String, io.switchboard.store.Project> projectOf = new LinkedHashMap<>();
        for (LineSnapshot line : engine.snapshot()) {
            Optional<io.switchboard.store.Project> project = engine.line(line.number()).map(NumberLine::project);
            if (project.isEmpty()) continue; // closed since the snapshot
            String projectId = project.get().id();
            projectOf.put(projectId, project.get());
            long[] used = line.used();
            long[] previous = usedBefore.getOrDefault(line.number(), used);
            double[] rates = new double[used.length];
            Map<String, Double> tpsInUse = new LinkedHashMap<>();
            Map<String, Long> budgetUsed = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                int k = kind.ordinal();
                rates[k] = round((used[k] - previous[k]) / seconds);
                tpsInUse.put(kind.label(), rates[k]);
                budgetUsed.put(kind.label(), used[k]);
            }
            usedBefore.put(line.number(), used);
            Map<String, Integer> queue = new LinkedHashMap<>();
            for (Priority priority : Priority.values()) queue.put(priority.label(), line.depths()[priority.rank()]);
            MessageCensus.Counts counts = census.of(line.number());
            Map<String, Long> outgoing = new LinkedHashMap<>();
            for (MessageStatus status : MessageStatus.values()) outgoing.put(status.label(), counts.of(status));
            numbers.add(new Sample.NumberFigures(line.number(), projectId, line.tps(), tpsInUse, budgetUsed, queue,
                    line.incomingWaiting(), outgoing, counts.received(), line.shards(), line.connectedShards()));
            record(line.number(), new Sample.Point(now, rates, line.tps()));
        }
        before = now;
        Map<String, Long> dead = deadLetters();
        Map<WebhookLatency.Key, Sample.Latency> quantiles = latency(now);
        List<Sample.ProjectFigures> projects = projectOf.values().stream().map(project -> {
            String id = project.id();
            Map<String, Sample.Latency> byKind = new LinkedHashMap<>();
            for (var kind : io.switchboard.dispatcher.DeliveryTimes.Kind.values()) {
                byKind.put(kind.label(), quantiles.getOrDefault(new WebhookLatency.Key(id, kind.label()),
                        Sample.Latency.NONE));
            }
            return new Sample.ProjectFigures(id, project.name(), backlog.applyAsLong(id), dead.getOrDefault(id, 0L), byKind);
        }).toList();
        return new Sample(++seq, now, List.copyOf(numbers), projects, shards.placements());
    }

    private Map<String, Long> deadLetters() {
        try {
            return metrics.deadLetters();
        } catch (RuntimeException e) { // shown as 0 until the store answers again; /ready says why
            return Map.of();
        }
    }

    /** Adds a point under the lock, dropping the oldest beyond the window. */
    private void record(String number, Sample.Point point) {
        lock.lock();
        try {
            Deque<Sample.Point> points = history.computeIfAbsent(number, n -> new ArrayDeque<>());
            points.addLast(point);
            while (points.size() > this.points) points.removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** p50 and p99 over the last minute: the histogram now less the histogram a minute ago, as Prometheus would. */
    private Map<WebhookLatency.Key, Sample.Latency> latency(long now) {
        Map<WebhookLatency.Key, long[]> current = latency.buckets();
        latencies.addLast(new LatencyAt(now, current));
        while (latencies.size() > 1 && latencies.getFirst().at() < now - LATENCY_WINDOW_MILLIS) latencies.removeFirst();
        Map<WebhookLatency.Key, long[]> then = latencies.getFirst().at() < now ? latencies.getFirst().buckets() : Map.of();
        double[] bounds = WebhookLatency.bounds();
        Map<WebhookLatency.Key, Sample.Latency> result = new HashMap<>();
        current.forEach((key, counts) -> {
            long[] earlier = then.get(key);
            long[] window = new long[counts.length];
            for (int i = 0; i < counts.length; i++) window[i] = counts[i] - (earlier == null ? 0 : earlier[i]);
            result.put(key, Sample.Latency.of(Quantiles.of(bounds, window, 0.5), Quantiles.of(bounds, window, 0.99),
                    java.util.Arrays.stream(window).sum()));
        });
        return result;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
