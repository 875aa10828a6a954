package io.switchboard.app.capacity;

/**
 * What a number carries, as the capacity calculator takes it: one-to-one messages out and in a second; whether
 * delivery and read reports come for the one-to-one messages; groups (how many, members each, the bot's messages to
 * each group an hour); the share of delivered messages that are read; the TPS a shard carries; and, optionally
 * (0 = not given), the number's TPS plan to check against.
 */
public record Traffic(double outgoing, double incoming, boolean deliveryReports, boolean readReports, int groups,
                      int members, double messagesPerGroupPerHour, double readShare, double perShardTps, double planTps) {
    public Traffic {
        check("outgoing", outgoing);
        check("incoming", incoming);
        check("groups", groups);
        check("members", members);
        check("messages-per-group", messagesPerGroupPerHour);
        if (!(readShare >= 0 && readShare <= 1)) throw new IllegalArgumentException("read-share: must be from 0 to 1, got " + readShare);
        if (!(perShardTps > 0)) throw new IllegalArgumentException("per-shard-tps: must be above 0, got " + perShardTps);
        check("tps", planTps);
    }

    private static void check(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + ": must be 0 or more, got " + value);
        }
    }
}
