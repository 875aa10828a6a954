package io.switchboard.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.switchboard.dispatcher.DeliveryTimes;
import io.switchboard.dispatcher.DispatchCounters;
import io.switchboard.dispatcher.Dispatcher;
import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.budget.Kind;
import io.switchboard.metrics.census.MessageCensus;
import io.switchboard.metrics.shards.ShardMap;
import io.switchboard.metrics.shards.ShardPlacement;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes may share a JVM in tests). Everything but
 * the latency histogram ({@link WebhookLatency}) is read when scraped, from the engine, the dispatcher, the message
 * census, the shard map, the store's dead letters and writer, and the data folder's disk: the hot path pays only for
 * the histogram's observations.
 *
 * <p>Names follow Prometheus' conventions: a {@code switchboard_} prefix, base units ({@code _seconds}),
 * {@code _total} on counters, and labels for what varies ({@code number}, {@code kind}, {@code priority},
 * {@code direction}, {@code status}, {@code project}).
 */
public final class NodeMetrics {
    /**
     * Where the figures come from; {@code deadLetters} reads the store's counts by project, {@code failedCommits}
     * the store writer's failed commits, and {@code data} is the node's data folder, whose disk is measured.
     */
    public record Sources(Engine engine, Dispatcher dispatcher, MessageCensus census, ShardMap shards,
                          WebhookLatency latency, Supplier<Map<String, Long>> deadLetters, LongSupplier failedCommits,
                          Path data) {}

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer =
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();
    private final Sources sources;
    private final Cached<Map<String, Long>> deadLetters;

    public NodeMetrics(Sources sources) {
        this.sources = sources;
        this.deadLetters = new Cached<>(sources.deadLetters(), 1_000);
        Engine engine = sources.engine();
        GaugeWithCallback.builder().name("switchboard_budget_tps").help("The number's TPS budget, over all its shards")
                .labelNames("number")
                .callback(cb -> engine.lines().forEach(line -> cb.call(line.number().tps(), line.number().number())))
                .register(registry);
        CounterWithCallback.builder().name("switchboard_budget_used").help(
                        "Budget tokens spent, by kind: send, receive, delivery_report, read_report (each is one interaction)")
                .labelNames("number", "kind")
                .callback(cb -> engine.snapshot().forEach(line -> {
                    for (Kind kind : Kind.values()) cb.call(line.used()[kind.ordinal()], line.number(), kind.label());
                }))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_queue_depth")
                .help("Outgoing messages waiting for the budget, by priority (instant replies count as urgent)")
                .labelNames("number", "priority")
                .callback(cb -> engine.snapshot().forEach(line -> {
                    for (Priority priority : Priority.values()) {
                        cb.call(line.depths()[priority.rank()], line.number(), priority.label());
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_incoming_waiting")
                .help("Incoming messages and reports taken from the network, waiting for a budget token")
                .labelNames("number")
                .callback(cb -> engine.snapshot().forEach(line -> cb.call(line.incomingWaiting(), line.number())))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_shard_connected")
                .help("1 when the shard's connection to the network is up on the node that carries it, else 0")
                .labelNames("number", "shard", "node")
                .callback(cb -> {
                    for (ShardPlacement p : sources.shards().placements()) {
                        cb.call(p.connected() ? 1 : 0, p.number(), String.valueOf(p.shard()), p.node());
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("switchboard_messages")
                .help("Messages that reached each status (each counted once): outgoing queued, sent, delivered, read, "
                        + "failed; incoming received. The store's counts at start plus what happened since.")
                .labelNames("number", "direction", "status")
                .callback(cb -> engine.lines().forEach(line -> {
                    String number = line.number().number();
                    MessageCensus.Counts counts = sources.census().of(number);
                    for (MessageStatus status : MessageStatus.values()) cb.call(counts.of(status), number, "out", status.label());
                    cb.call(counts.received(), number, "in", "received");
                }))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_webhook_backlog")
                .help("Incoming messages and status events stored but not yet taken by the project's Webhook or Event Webhook")
                .labelNames("project")
                .callback(cb -> projectIds().forEach(id -> cb.call(sources.dispatcher().backlog(id), id)))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_dead_letters")
                .help("Webhook and Event Webhook calls given up after their retry window, kept for a replay")
                .labelNames("project")
                .callback(cb -> {
                    Map<String, Long> counts = deadLetters.get();
                    Set<String> ids = new TreeSet<>(projectIds());
                    ids.addAll(counts.keySet());
                    ids.forEach(id -> cb.call(counts.getOrDefault(id, 0L), id));
                })
                .register(registry);
        DispatchCounters calls = sources.dispatcher().counters();
        CounterWithCallback.builder().name("switchboard_webhook_calls")
                .help("Calls the customers' servers answered 2xx, by kind: webhook (one incoming message), event_webhook (a batch)")
                .labelNames("kind")
                .callback(cb -> {
                    cb.call(calls.webhookCalls(), DeliveryTimes.Kind.WEBHOOK.label());
                    cb.call(calls.eventCalls(), DeliveryTimes.Kind.EVENT_WEBHOOK.label());
                })
                .register(registry);
        CounterWithCallback.builder().name("switchboard_webhook_failed_calls")
                .help("Calls that failed (no answer, or not 2xx) and were scheduled again")
                .callback(cb -> cb.call(calls.failedCalls()))
                .register(registry);
        CounterWithCallback.builder().name("switchboard_store_write_errors")
                .help("Group commits the store refused (a full disk, a lost or read-only database); each failed every write it carried")
                .callback(cb -> cb.call(sources.failedCommits().getAsLong()))
                .register(registry);
        // The disk that holds the data folder (the embedded store, media, the master key): a full one stops the node.
        GaugeWithCallback.builder().name("switchboard_data_disk_free_bytes")
                .help("Bytes free to the node on the file system of its data folder")
                .callback(cb -> disk().ifPresent(disk -> cb.call(disk.free())))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_data_disk_size_bytes")
                .help("Size in bytes of the file system of the node's data folder")
                .callback(cb -> disk().ifPresent(disk -> cb.call(disk.size())))
                .register(registry);
        registry.register(sources.latency().histogram());
    }

    private record Disk(long free, long size) {}

    /** The data folder's file system, or nothing (no sample) while it cannot be read. */
    private java.util.Optional<Disk> disk() {
        try {
            FileStore store = Files.getFileStore(sources.data());
            return java.util.Optional.of(new Disk(store.getUsableSpace(), store.getTotalSpace()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** The store's dead letters by project, read at most once a second. */
    public Map<String, Long> deadLetters() {
        return deadLetters.get();
    }

    private List<String> projectIds() {
        return sources.engine().lines().stream().map(NumberLine::project).map(p -> p.id()).distinct().sorted().toList();
    }

    /**
     * A value read again at most every {@code maxAgeMillis}. Only the first read waits; later ones run on a virtual
     * thread of their own while callers get the last value, so a store that hangs (its pool waits long for a
     * connection) never stalls a scrape or the dashboard's ticks. A failed read keeps the last value.
     */
    static final class Cached<T> {
        private final Supplier<T> read;
        private final long maxAgeMillis;
        private volatile T value;
        private volatile long readAt;
        private final java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();

        Cached(Supplier<T> read, long maxAgeMillis) {
            this.read = read;
            this.maxAgeMillis = maxAgeMillis;
        }

        T get() {
            if (value == null) {
                synchronized (this) {
                    if (value == null) refresh();
                }
            } else if (System.currentTimeMillis() - readAt >= maxAgeMillis && reading.compareAndSet(false, true)) {
                Thread.ofVirtual().name("metrics-refresh").start(() -> {
                    try {
                        refresh();
                    } catch (RuntimeException e) {
                        readAt = System.currentTimeMillis(); // try again after another interval
                    } finally {
                        reading.set(false);
                    }
                });
            }
            return value;
        }

        private void refresh() {
            value = read.get();
            readAt = System.currentTimeMillis();
        }
    }
}
