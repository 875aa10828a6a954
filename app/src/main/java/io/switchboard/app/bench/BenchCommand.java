package io.switchboard.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard bench SCENARIO}: starts what the scenario needs in this process (the simulated network, a node,
 * a counting customer's server), drives the load, and prints one figure a line ({@code name value unit}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the gateway the way its users load it; prints one figure a line: name value unit.",
                "Scenarios: send, receive, budget, chat, outage, backlog, history, failover, scale, upstream;",
                "faults: db-restart, disk-full, network-restart, owed-webhooks, soak."})
public final class BenchCommand implements Callable<Integer> {
    private static final Map<String, Scenario> SCENARIOS = Map.ofEntries(
            Map.entry("send", new SendScenario()),
            Map.entry("receive", new ReceiveScenario()),
            Map.entry("budget", new BudgetScenario()),
            Map.entry("chat", new ChatScenario()),
            Map.entry("outage", new OutageScenario()),
            Map.entry("backlog", new BacklogScenario()),
            Map.entry("history", new HistoryScenario()),
            Map.entry("failover", new FailoverScenario()),
            Map.entry("scale", new ScaleScenario()),
            Map.entry("upstream", new UpstreamScenario()),
            Map.entry("db-restart", (options, report) ->
                    new DatabaseRestartDrill(options.database(), options.down(), options.seed()).run(report)),
            Map.entry("disk-full", (options, report) -> new DiskFullDrill(options.down(), options.seed()).run(report)),
            Map.entry("network-restart", (options, report) ->
                    new NetworkRestartDrill(options.down(), options.seed()).run(report)),
            Map.entry("owed-webhooks", (options, report) -> new OwedWebhooksDrill(options.owed(), options.nodeHeap(), null,
                    options.durationOr(Duration.ofSeconds(20)), options.seed()).run(report)),
            Map.entry("soak", (options, report) -> new SoakDrill(options.durationOr(Duration.ofHours(1)),
                    options.rateOr(SoakDrill.DEFAULT_RATE), options.nodeHeap(), options.seed()).run(report)));

    @Parameters(index = "0", description = "send, receive, budget, chat, outage, backlog, history, failover, scale, upstream, "
            + "db-restart, disk-full, network-restart, owed-webhooks or soak") String scenario;
    @Option(names = "--db", description = "JDBC URL of PostgreSQL or MariaDB instead of the embedded store") String dbUrl;
    @Option(names = "--db-user", description = "database user") String dbUser;
    @Option(names = "--db-password", description = "database password") String dbPassword;
    @Option(names = "--duration", converter = io.switchboard.app.cli.DurationConverter.class,
            description = "how long the load runs (each scenario has its default; owed-webhooks: each latency window, 20s; soak: 1h)") Duration duration;
    @Option(names = "--clients", defaultValue = "20", description = "concurrent API clients (send, scale; default ${DEFAULT-VALUE})") int clients;
    @Option(names = "--bulk", defaultValue = "100", description = "messages per request, 1 for single sends (send; default ${DEFAULT-VALUE})") int bulk;
    @Option(names = "--numbers", description = "business numbers (default 4; upstream: 1)") Integer numbers;
    @Option(names = "--rate", description = "incoming messages a second in all (receive, chat, outage; default 5000); "
            + "soak: sends and incoming messages a second in all (default 2000)") Double rate;
    @Option(names = "--down", defaultValue = "60s", converter = io.switchboard.app.cli.DurationConverter.class,
            description = "how long the receiver, the database or the network is down, or the disk full (outage, db-restart, network-restart, disk-full; default ${DEFAULT-VALUE})") Duration down;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the simulated network") long seed;
    @Option(names = "--messages", defaultValue = "5000000", description = "messages to queue (backlog), or to write into the store (history; the README's figures: 10000000); default ${DEFAULT-VALUE}") long messages;
    @Option(names = "--kannel", description = "also measure Kannel (apt-get install kannel kannel-extras) under the same load (send, chat)") boolean kannel;
    @Option(names = "--shards", defaultValue = "4", description = "shards of the number (failover; default ${DEFAULT-VALUE})") int shards;
    @Option(names = "--kills", defaultValue = "10", description = "kills of a shard's owner (failover; default ${DEFAULT-VALUE})") int kills;
    @Option(names = "--database", defaultValue = "postgresql",
            description = "postgresql or mariadb: the server of its own db-restart starts and restarts (default ${DEFAULT-VALUE})") String database;
    @Option(names = "--owed", defaultValue = "5000000",
            description = "Webhook calls owed to the tenant that is down (owed-webhooks; default ${DEFAULT-VALUE})") long owed;
    @Option(names = "--node-heap", defaultValue = "512m",
            description = "-Xmx of the node process (owed-webhooks, soak; default ${DEFAULT-VALUE})") String nodeHeap;
    @Option(names = "--graph-latency", defaultValue = "150ms", converter = io.switchboard.app.cli.DurationConverter.class,
            description = "how long Meta's stand-in takes to answer a send (upstream; default ${DEFAULT-VALUE})") Duration graphLatency;
    @Option(names = "--meta-mps", defaultValue = "1000",
            description = "messages a second Meta's stand-in takes from each number, 1 to 10000 (upstream; default ${DEFAULT-VALUE})") int metaMps;
    @Option(names = "--json", description = "also write a JSON report with the machine, versions, settings and figures") Path json;

    @Override
    public Integer call() throws Exception {
        Scenario chosen = SCENARIOS.get(scenario);
        if (chosen == null) throw new IllegalArgumentException("unknown scenario '" + scenario + "': use one of " + SCENARIOS.keySet());
        int numberCount = numbers != null ? numbers : scenario.equals("upstream") ? 1 : 4;
        if (clients < 1 || bulk < 1 || bulk > 1_000 || numberCount < 1 || (rate != null && rate <= 0) || kills < 1
                || !java.util.Set.of(1, 2, 4, 8, 16, 32).contains(shards) || metaMps < 1 || metaMps > 10_000
                || graphLatency.isNegative()) {
            throw new IllegalArgumentException("--clients, --numbers and --kills must be at least 1, --bulk 1 to 1000, "
                    + "--rate positive, --shards 1, 2, 4, 8, 16 or 32, --meta-mps 1 to 10000, --graph-latency not negative");
        }
        Report report = new Report(scenario, System.out);
        report.setting("store", dbUrl == null ? "embedded" : dbUrl.replaceAll("//[^/@]*@", "//"));
        report.setting("seed", seed);
        chosen.run(new BenchOptions(new Rig.Store(dbUrl, dbUser, dbPassword), duration, clients, bulk, numberCount, rate,
                down, seed, messages, kannel, shards, kills, database, owed, nodeHeap, graphLatency, metaMps), report);
        if (json != null) report.writeJson(json);
        return 0;
    }
}
