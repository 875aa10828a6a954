package io.switchboard.metrics.census;

import io.switchboard.engine.Engine;
import io.switchboard.engine.shard.Counters;
import io.switchboard.store.Direction;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Messages;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many of each number's messages reached each status, since the store began: what the store held when the
 * node started ({@link Messages#reached}, read once, before any shard connects), plus what the engine counted since.
 * So the figures agree with the store at any time, survive a restart, and cost no query when read.
 */
public final class MessageCensus {
    /** One number's counts: outgoing messages per status reached, and incoming messages received. */
    public record Counts(long queued, long sent, long delivered, long read, long failed, long expired, long cancelled,
                         long received) {
        public long of(MessageStatus status) {
            return switch (status) {
                case QUEUED -> queued;
                case SENT -> sent;
                case DELIVERED -> delivered;
                case READ -> read;
                case FAILED -> failed;
                case EXPIRED -> expired;
                case CANCELLED -> cancelled;
            };
        }
    }

    private static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0);
    private final Engine engine;
    private final Map<String, Counts> atStart;

    /** {@code atStart}: the store's counts, read before the engine's shards started changing them. */
    public MessageCensus(Engine engine, java.util.List<Messages.Reached> atStart) {
        this.engine = engine;
        this.atStart = atStart.stream().collect(Collectors.groupingBy(Messages.Reached::number,
                Collectors.reducing(NONE, MessageCensus::counts, MessageCensus::sum)));
    }

    /** The number's counts now. */
    public Counts of(String number) {
        Counters live = engine.counters(number);
        Counts now = new Counts(live.accepted(), live.reached(MessageStatus.SENT), live.reached(MessageStatus.DELIVERED),
                live.reached(MessageStatus.READ), live.reached(MessageStatus.FAILED), live.reached(MessageStatus.EXPIRED),
                live.reached(MessageStatus.CANCELLED), live.receivedCount());
        return sum(atStart.getOrDefault(number, NONE), now);
    }

    private static Counts counts(Messages.Reached row) {
        // Incoming messages do not move past received; a failed one would still count as failed.
        return new Counts(row.queued(), row.sent(), row.delivered(), row.read(), row.failed(), row.expired(),
                row.cancelled(), row.direction() == Direction.IN ? row.received() : 0);
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.queued + b.queued, a.sent + b.sent, a.delivered + b.delivered, a.read + b.read,
                a.failed + b.failed, a.expired + b.expired, a.cancelled + b.cancelled, a.received + b.received);
    }

}
