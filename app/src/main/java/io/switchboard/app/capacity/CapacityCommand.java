package io.switchboard.app.capacity;

import io.switchboard.engine.budget.Kind;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard capacity}: the TPS a number needs for the traffic given, per kind, and the shards to carry it. */
@Command(name = "capacity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Works out the TPS a number needs, by the guide's arithmetic: every message sent or received and "
                + "every delivery and read report is one interaction of the TPS.",
                "Example: switchboard capacity --outgoing 10 --incoming 5 --groups 10 --members 256 --messages-per-group 1"})
public final class CapacityCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--outgoing", defaultValue = "0", description = "one-to-one messages sent a second (default ${DEFAULT-VALUE})")
    double outgoing;
    @Option(names = "--incoming", defaultValue = "0", description = "messages received a second, one-to-one or in groups (default ${DEFAULT-VALUE})")
    double incoming;
    @Option(names = "--delivery-reports", defaultValue = "on", arity = "1", converter = OnOff.class, paramLabel = "on|off",
            description = "delivery reports for one-to-one messages (default ${DEFAULT-VALUE}; groups always have them)")
    boolean deliveryReports;
    @Option(names = "--read-reports", defaultValue = "on", arity = "1", converter = OnOff.class, paramLabel = "on|off",
            description = "read reports for one-to-one messages (default ${DEFAULT-VALUE}; groups always have them)")
    boolean readReports;
    @Option(names = "--groups", defaultValue = "0", description = "groups the number writes to (default ${DEFAULT-VALUE})")
    int groups;
    @Option(names = "--members", defaultValue = "0", description = "members of each group (default ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--messages-per-group", defaultValue = "1", description = "messages to each group an hour (default ${DEFAULT-VALUE})")
    double messagesPerGroup;
    @Option(names = "--read-share", defaultValue = "1.0", description = "share of delivered messages that are read, 0 to 1 (default ${DEFAULT-VALUE})")
    double readShare;
    @Option(names = "--per-shard-tps", defaultValue = "80", description = "TPS one shard carries (default ${DEFAULT-VALUE})")
    double perShardTps;
    @Option(names = "--tps", defaultValue = "0", description = "the number's TPS plan, to check the traffic against (optional)")
    double planTps;

    @Override
    public Integer call() {
        Traffic traffic = new Traffic(outgoing, incoming, deliveryReports, readReports, groups, members, messagesPerGroup,
                readShare, perShardTps, planTps);
        print(traffic, Capacity.of(traffic), spec.commandLine().getOut());
        return 0;
    }

    static void print(Traffic traffic, Capacity.Needs needs, PrintWriter out) {
        out.printf("Traffic: %s one-to-one messages out and %s in a second; delivery reports %s, read reports %s; "
                        + "read share %s%n", number(traffic.outgoing()), number(traffic.incoming()),
                onOff(traffic.deliveryReports()), onOff(traffic.readReports()), percent(traffic.readShare()));
        if (traffic.groups() > 0) {
            out.printf("Groups: %,d of %,d members, %s message(s) to each an hour%n", traffic.groups(), traffic.members(),
                    number(traffic.messagesPerGroupPerHour()));
        }
        out.println();
        out.printf("%-16s %12s %12s %12s %14s%n", "kind", "one-to-one", "groups", "TPS needed", "an hour");
        for (Kind kind : Kind.values()) {
            out.printf("%-16s %12.2f %12.2f %12.2f %,14.0f%n", kind.label().replace('_', ' '), needs.direct().get(kind),
                    needs.groups().get(kind), needs.tps(kind), needs.tps(kind) * 3_600);
        }
        out.printf("%-16s %12s %12s %12.2f %,14.0f%n", "total", "", "", needs.total(), needs.total() * 3_600);
        out.println();
        if (traffic.groups() > 0) {
            out.printf("Group reports: each round of messages to the %,d groups reaches %,d members: %,.0f delivery reports "
                            + "and %,.0f read reports an hour, which cannot be switched off.%n", traffic.groups(),
                    (long) traffic.groups() * traffic.members(), needs.groupDeliveryReportsPerHour(),
                    needs.groupReadReportsPerHour());
        }
        if (needs.shards().isPresent()) {
            out.printf("Shards: %d at %s TPS a shard (%.2f TPS over %s TPS a shard is %.2f; shards come as 1, 2, 4, 8, "
                            + "16 or 32)%n", needs.shards().getAsInt(), number(traffic.perShardTps()), needs.total(),
                    number(traffic.perShardTps()), needs.total() / traffic.perShardTps());
        } else {
            out.printf("Shards: more than 32 at %s TPS a shard, the most a number has: spread this traffic over "
                    + "several numbers%n", number(traffic.perShardTps()));
        }
        if (traffic.planTps() > 0) {
            double left = traffic.planTps() - needs.total();
            out.printf("Plan: %s TPS; %s%n", number(traffic.planTps()), left >= 0
                    ? String.format(Locale.ROOT, "%.2f TPS to spare", left)
                    : String.format(Locale.ROOT, "%.2f TPS short: queues grow and the network's incoming queue overflows", -left));
        }
        Capacity.Savings savings = needs.savings();
        out.println();
        out.println("What each switch saves:");
        out.printf("  delivery reports off: %.2f TPS (%s of the TPS needed); group delivery reports stay%n",
                savings.deliveryReportsOffTps(), percent(share(savings.deliveryReportsOffTps(), needs.total())));
        out.printf("  read reports off:     %.2f TPS (%s of the TPS needed); group read reports stay%n",
                savings.readReportsOffTps(), percent(share(savings.readReportsOffTps(), needs.total())));
        out.printf("  Event Webhook off:    no TPS (the network still sends the reports, and they count); %.2f fewer "
                        + "events a second to your server, %s of what its webhooks hear%n", savings.webhookEventsPerSecond(),
                percent(savings.eventWebhookOffShare()));
    }

    private static double share(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,d", (long) value) : String.format(Locale.ROOT, "%s", value);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** {@code on} or {@code off} (also true or false). */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new CommandLine.TypeConversionException("must be on or off, got '" + value + "'");
            };
        }
    }
}
