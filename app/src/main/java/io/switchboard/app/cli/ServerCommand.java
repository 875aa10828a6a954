package io.switchboard.app.cli;

import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs a node: the API, the store, the queues and the connections to the network.",
                "Settings come from --config FILE, then SWITCHBOARD_* environment variables (SWITCHBOARD_ADMIN_TOKEN, "
                        + "SWITCHBOARD_MASTER_KEY, SWITCHBOARD_DB_URL, ...), then these options."})
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file") Path config;
    @Option(names = "--http-port", description = "API port (default 8080)") Integer httpPort;
    @Option(names = "--network", description = "host:port of the WhatsApp network (default 127.0.0.1:5222)") String network;
    @Option(names = "--data", description = "data folder: embedded store and key file (default ./data)") Path data;
    @Option(names = "--db-url", description = "JDBC URL of PostgreSQL or MariaDB/MySQL instead of the embedded store") String dbUrl;
    @Option(names = "--db-user", description = "database user") String dbUser;
    @Option(names = "--cluster", description = "share the (PostgreSQL or MariaDB) store with other nodes: shards "
            + "are spread over the live nodes and fail over between them") Boolean cluster;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config = new ConfigLoader().file(this.config).environment(System.getenv())
                .set("http.port", httpPort).set("network", network).set("data", data).set("db.url", dbUrl)
                .set("db.user", dbUser).set("cluster.enabled", cluster).load();
        Node node = Node.start(config, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Switchboard node listening on port " + node.httpPort() + " (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
