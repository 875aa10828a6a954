package io.switchboard.app.capacity;

import io.switchboard.engine.budget.Kind;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The guide's TPS arithmetic. Every interaction of a number counts in its TPS: a message sent, a message received,
 * a delivery report and a read report. So a one-to-one message out costs one send, one delivery report (unless
 * delivery reports are off) and one read report if it is read (read reports on, times the read share); a message in
 * costs one receive. A message to a group is one send, and every member's delivery and read reports come back: the
 * guide's 10 groups of 256 members with one message each bring 2,560 read events. Group reports cannot be switched
 * off. The Event Webhook carries the delivery and read reports to the customer's server: switching it off takes that
 * load off the server, but not off the TPS, since the network still sends the reports to the number.
 */
public final class Capacity {
    /** Shard counts the network supports (the guide: 1, 2, 4, 8, 16 or 32). */
    static final int[] SHARD_COUNTS = {1, 2, 4, 8, 16, 32};
    private static final double HOUR = 3_600;

    private Capacity() {}

    /** A number's needs: TPS per kind, one-to-one and from groups; the group events an hour; shards. */
    public record Needs(Map<Kind, Double> direct, Map<Kind, Double> groups, double groupDeliveryReportsPerHour,
                        double groupReadReportsPerHour, OptionalInt shards, Savings savings) {
        public double tps(Kind kind) {
            return direct.get(kind) + groups.get(kind);
        }

        public double total() {
            double total = 0;
            for (Kind kind : Kind.values()) total += tps(kind);
            return total;
        }
    }

    /**
     * What each switch saves: TPS with delivery reports off and with read reports off (one-to-one messages only),
     * and the Event Webhook's share of the calls to the customer's server (its TPS saving is none).
     */
    public record Savings(double deliveryReportsOffTps, double readReportsOffTps, double webhookEventsPerSecond,
                          double webhookMessagesPerSecond) {
        /** The share of the server's webhook load (messages plus events) that the Event Webhook is. */
        public double eventWebhookOffShare() {
            double load = webhookEventsPerSecond + webhookMessagesPerSecond;
            return load == 0 ? 0 : webhookEventsPerSecond / load;
        }
    }

    public static Needs of(Traffic traffic) {
        Map<Kind, Double> direct = new EnumMap<>(Kind.class);
        double read = traffic.readReports() ? traffic.outgoing() * traffic.readShare() : 0;
        direct.put(Kind.SEND, traffic.outgoing());
        direct.put(Kind.RECEIVE, traffic.incoming());
        direct.put(Kind.DELIVERY_REPORT, traffic.deliveryReports() ? traffic.outgoing() : 0);
        direct.put(Kind.READ_REPORT, read);

        double groupMessagesPerHour = traffic.groups() * traffic.messagesPerGroupPerHour();
        double deliveredPerHour = groupMessagesPerHour * traffic.members(); // always on for groups
        double readPerHour = deliveredPerHour * traffic.readShare();
        Map<Kind, Double> groups = new EnumMap<>(Kind.class);
        groups.put(Kind.SEND, groupMessagesPerHour / HOUR);
        groups.put(Kind.RECEIVE, 0.0);
        groups.put(Kind.DELIVERY_REPORT, deliveredPerHour / HOUR);
        groups.put(Kind.READ_REPORT, readPerHour / HOUR);

        double events = direct.get(Kind.DELIVERY_REPORT) + direct.get(Kind.READ_REPORT) + (deliveredPerHour + readPerHour) / HOUR;
        Savings savings = new Savings(direct.get(Kind.DELIVERY_REPORT), read, events, traffic.incoming());
        Needs partial = new Needs(direct, groups, deliveredPerHour, readPerHour, OptionalInt.empty(), savings);
        return new Needs(direct, groups, deliveredPerHour, readPerHour, shards(partial.total(), traffic.perShardTps()), savings);
    }

    /** The fewest shards, of those the network supports, whose TPS together carry {@code tps}; none above 32. */
    static OptionalInt shards(double tps, double perShardTps) {
        for (int shards : SHARD_COUNTS) {
            if (shards * perShardTps >= tps - 1e-9) return OptionalInt.of(shards);
        }
        return OptionalInt.empty();
    }
}
