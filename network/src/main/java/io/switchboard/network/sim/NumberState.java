package io.switchboard.network.sim;

import io.switchboard.network.Shards;
import io.switchboard.network.protocol.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Everything the network keeps for one business number: its shard map (epoch, live connection, credit, the
 * bounded queue of INBOUND+STATUS items), the message ids it sent, and its counters. One lock per number keeps
 * resharding simple; every critical section is short and never blocks (connections have unbounded outboxes).
 */
final class NumberState {
    /** How many recent message ids per number are remembered for duplicate detection; bounds memory under load. */
    private static final int SEEN_IDS = 200_000;

    /** An INBOUND or STATUS frame waiting for, or holding, one credit; {@code user} decides its shard. */
    record Item(long seq, String user, Frame frame) {}

    private static final class Shard {
        long epoch = Long.MIN_VALUE;
        Connection connection;
        int window;
        final ArrayDeque<Item> waiting = new ArrayDeque<>();
        final LinkedHashMap<Long, Item> inFlight = new LinkedHashMap<>();
    }

    final String number;
    final Counters counters = new Counters();
    private final Counters global;
    private final int queueLimit;
    /** Inbound generator state; only the generator tick touches these. */
    final Random generatorRandom;
    double generatorCredit;

    private long nextSeq;
    /** The highest epoch of any login of the number: a re-shard's fence (see {@link #login}). */
    private long highestEpoch = Long.MIN_VALUE;
    private int shardCount = 1;
    private Shard[] shards = {new Shard()};
    private final Map<Long, Boolean> seenIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    };

    NumberState(String number, Counters global, int queueLimit, long generatorSeed) {
        this.number = number;
        this.global = global;
        this.queueLimit = queueLimit;
        this.generatorRandom = new Random(generatorSeed);
    }

    void count(Counter counter) {
        counters.add(counter);
        global.add(counter);
    }

    /**
     * Takes over (number, shard) for {@code c}, or returns why not. A login with another shard count re-shards the
     * number only if its epoch is at least the highest any login of the number had: a gateway's re-shard gives the
     * new shards epochs above all the old ones, so a link still on the old count cannot turn the number back.
     */
    synchronized String login(Connection c, Frame.Login login) {
        if (login.shardCount() != shardCount) {
            if (login.epoch() < highestEpoch) return "stale epoch: the number was re-sharded to " + shardCount;
            reshard(login.shardCount());
        }
        Shard s = shards[login.shard()];
        if (login.epoch() < s.epoch) {
            return "stale epoch";
        }
        highestEpoch = Math.max(highestEpoch, login.epoch());
        if (s.connection != null) {
            fence(s.connection, "superseded by epoch " + login.epoch());
            requeue(s);
        }
        s.epoch = login.epoch();
        s.connection = c;
        s.window = login.window();
        count(Counter.LOGINS);
        // LOGIN_OK goes into the outbox before any item, under the lock, so it is always the first frame.
        c.enqueue(new Frame.LoginOk());
        pump(s);
        return null;
    }

    /** The connection ended: its unacked items go back to the head of the queue for the next login. */
    synchronized void detach(Connection c, int shard) {
        if (shard < shards.length && shards[shard].connection == c) {
            requeue(shards[shard]);
        }
    }

    synchronized void ack(Connection c, int shard, long seq) {
        if (shard >= shards.length || shards[shard].connection != c) {
            return;
        }
        Shard s = shards[shard];
        Item item = s.inFlight.remove(seq);
        if (item != null) {
            count(item.frame() instanceof Frame.Status ? Counter.STATUSES_HANDED : Counter.HANDED);
            pump(s);
        }
    }

    /** Queues an item for {@code user}'s shard; false (and counted as rejected) when that queue is full. */
    synchronized boolean offer(String user, LongFunction<Frame> frame) {
        Shard s = shards[Shards.of(user, shardCount)];
        if (s.waiting.size() >= queueLimit) {
            count(Counter.REJECTED);
            return false;
        }
        long seq = ++nextSeq;
        s.waiting.add(new Item(seq, user, frame.apply(seq)));
        pump(s);
        return true;
    }

    /** True the first time this number sends {@code messageId} (within the last {@value #SEEN_IDS} ids). */
    synchronized boolean firstSend(long messageId) {
        return seenIds.put(messageId, Boolean.TRUE) == null;
    }

    synchronized boolean live() {
        for (Shard s : shards) {
            if (s.connection != null) {
                return true;
            }
        }
        return false;
    }

    /** {queued, in flight}. */
    synchronized long[] gauges() {
        long queued = 0, inFlight = 0;
        for (Shard s : shards) {
            queued += s.waiting.size();
            inFlight += s.inFlight.size();
        }
        return new long[] {queued, inFlight};
    }

    synchronized List<Connection> connections() {
        List<Connection> list = new ArrayList<>();
        for (Shard s : shards) {
            if (s.connection != null) {
                list.add(s.connection);
            }
        }
        return list;
    }

    private void pump(Shard s) {
        while (s.connection != null && s.inFlight.size() < s.window && !s.waiting.isEmpty()) {
            Item item = s.waiting.poll();
            s.inFlight.put(item.seq(), item);
            s.connection.enqueue(item.frame());
        }
    }

    private void requeue(Shard s) {
        List<Item> back = new ArrayList<>(s.inFlight.values());
        s.inFlight.clear();
        for (int i = back.size() - 1; i >= 0; i--) {
            s.waiting.addFirst(back.get(i));
        }
        s.connection = null;
    }

    private void fence(Connection c, String reason) {
        c.fence(reason);
        count(Counter.FENCED);
    }

    /** A login with a new shard count: fence every shard and re-route pending items by the new map. */
    private void reshard(int count) {
        List<Item> pending = new ArrayList<>();
        for (Shard s : shards) {
            if (s.connection != null) {
                fence(s.connection, "resharded to " + count);
            }
            pending.addAll(s.inFlight.values());
            pending.addAll(s.waiting);
        }
        pending.sort(Comparator.comparingLong(Item::seq));
        shards = new Shard[count];
        for (int i = 0; i < count; i++) {
            shards[i] = new Shard();
        }
        shardCount = count;
        for (Item item : pending) {
            shards[Shards.of(item.user(), count)].waiting.add(item);
        }
    }
}
