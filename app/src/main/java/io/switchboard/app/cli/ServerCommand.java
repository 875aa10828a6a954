package io.switchboard.app.cli;

import io.switchboard.app.Node;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.app.logging.LogFormats;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs a node: the API, the store, the queues and the connections to the network.",
                "Settings come from --config FILE, then SWITCHBOARD_* environment variables (SWITCHBOARD_ADMIN_TOKEN, "
                        + "SWITCHBOARD_MASTER_KEY, SWITCHBOARD_DB_URL, ...), then these options."})
public final class ServerCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Option(names = "--http-port", description = "API port (default 8080)") Integer httpPort;
    @Option(names = "--network", description = "host:port of the WhatsApp network (default 127.0.0.1:5222)") String network;
    @Option(names = "--cluster", description = "share the (PostgreSQL or MariaDB) store with other nodes: shards "
            + "are spread over the live nodes and fail over between them") Boolean cluster;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config = store.loader().set("http.port", httpPort).set("network", network)
                .set("cluster.enabled", cluster).load();
        LogFormats.apply(config.observability().logFormat());
        Node node = Node.start(config, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Switchboard node listening on port " + node.httpPort() + " (Ctrl-C stops it); dashboard at "
                + "http://127.0.0.1:" + node.httpPort() + "/dashboard (log in with the admin or a project token)");
        stopped.await();
        return 0;
    }
}
