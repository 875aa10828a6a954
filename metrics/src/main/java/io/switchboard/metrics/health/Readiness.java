package io.switchboard.metrics.health;

import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.store.db.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the node can do its work: the store answers a query within {@code storeTimeout}, and every shard worker
 * this node runs is running. A shard that is disconnected from the network is still ready (it queues, and
 * reconnects by itself); one whose worker stopped (closed, or fenced by a newer login) is not. In a cluster a node
 * runs only the shards it holds a lease for; one it handed on is not counted.
 */
public final class Readiness {
    /** The outcome: ready, or the list of what is not, in words an operator can act on. */
    public record Report(boolean ready, List<String> notReady) {}

    private final Database database;
    private final Engine engine;
    private final Duration storeTimeout;

    public Readiness(Database database, Engine engine, Duration storeTimeout) {
        this.database = database;
        this.engine = engine;
        this.storeTimeout = storeTimeout;
    }

    public Report check() {
        List<String> notReady = new ArrayList<>();
        storeProblem().ifPresent(notReady::add);
        int workers = 0;
        int stopped = 0;
        for (NumberLine line : engine.lines()) {
            for (ShardWorker worker : line.shards().running()) {
                workers++;
                if (!worker.running()) stopped++;
            }
        }
        if (stopped > 0) notReady.add("shard workers: " + stopped + " of " + workers + " not running");
        return new Report(notReady.isEmpty(), List.copyOf(notReady));
    }

    /** Why the store is not reachable, if it is not. The pool may wait long for a connection: this waits less. */
    private java.util.Optional<String> storeProblem() {
        CompletableFuture<Boolean> valid = CompletableFuture.supplyAsync(
                () -> database.withConnection(c -> c.isValid((int) Math.max(1, storeTimeout.toSeconds()))),
                runnable -> Thread.ofVirtual().name("readiness-store").start(runnable));
        try {
            return valid.get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS) ? java.util.Optional.empty()
                    : java.util.Optional.of("store: the connection is not valid");
        } catch (TimeoutException e) {
            valid.cancel(true);
            return java.util.Optional.of("store: no answer within " + storeTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return java.util.Optional.of("store: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.of("store: check interrupted");
        }
    }
}
