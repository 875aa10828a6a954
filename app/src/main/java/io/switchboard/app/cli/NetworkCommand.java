package io.switchboard.app.cli;

import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Runs the simulated WhatsApp network: users who receive, deliver, read and reply, and inbound traffic.")
public final class NetworkCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "5222", description = "TCP port for nodes (default ${DEFAULT-VALUE})") int port;
    @Option(names = "--stats-port", defaultValue = "5280", description = "HTTP port of /stats, /users/{user}/messages, /inject, /control (default ${DEFAULT-VALUE})") int statsPort;
    @Option(names = "--seed", defaultValue = "1", description = "seed: the same seed gives the same users and decisions") long seed;
    @Option(names = "--users", defaultValue = "10000", description = "simulated users") int users;
    @Option(names = "--inbound-rate", defaultValue = "0", description = "messages per second users send to each number") double inboundRate;
    @Option(names = "--reply-probability", defaultValue = "0.2", description = "chance a user replies to a message") double replyProbability;
    @Option(names = "--read-probability", defaultValue = "0.9", description = "chance a user reads a message") double readProbability;
    @Option(names = "--fail-probability", defaultValue = "0", description = "chance a message fails as unreachable") double failProbability;
    @Option(names = "--deliver-ms", defaultValue = "50", description = "delay from sent to delivered") long deliverMillis;
    @Option(names = "--read-ms", defaultValue = "300", description = "delay from delivered to read") long readMillis;
    @Option(names = "--queue-limit", defaultValue = "10000", description = "items the network holds per shard for a slow node before it rejects (loses) them") int queueLimit;

    @Override
    public Integer call() throws Exception {
        SimConfig config = SimConfig.defaults().withPort(port).withStatsPort(statsPort).withSeed(seed).withUsers(users)
                .withInboundRatePerNumber(inboundRate).withReplyProbability(replyProbability)
                .withReadProbability(readProbability).withFailProbability(failProbability)
                .withDeliverMillis(deliverMillis).withReadMillis(readMillis).withQueueLimit(queueLimit);
        SimNetwork network = SimNetwork.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            network.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Simulated WhatsApp network on port " + network.port() + ", stats on http://127.0.0.1:"
                + network.statsPort() + "/stats (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
