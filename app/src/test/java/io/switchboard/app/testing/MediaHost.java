package io.switchboard.app.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A customer's media host on loopback: serves each path's bytes with its Content-Type, status and delay, with a
 * Content-Length or, {@code chunked}, without one; and counts the requests for each path.
 */
public final class MediaHost implements AutoCloseable {
    public record Served(int status, String contentType, byte[] bytes, long delayMillis, boolean chunked) {
        public Served(int status, String contentType, byte[] bytes, long delayMillis) {
            this(status, contentType, bytes, delayMillis, false);
        }
    }

    private final HttpServer server;
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    public MediaHost() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.merge(path, 1, Integer::sum);
            Served served = files.getOrDefault(path, new Served(404, "text/plain", new byte[0], 0));
            try {
                Thread.sleep(served.delayMillis());
                exchange.getResponseHeaders().set("Content-Type", served.contentType());
                exchange.sendResponseHeaders(served.status(),
                        served.chunked() ? 0 : served.bytes().length == 0 ? -1 : served.bytes().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(served.bytes());
                }
            } catch (InterruptedException | IOException e) {
                exchange.close(); // the fetcher gave up
            }
        });
        server.start();
    }

    /** Serves {@code bytes} at {@code path}; answers the URL. */
    public String serve(String path, String contentType, byte[] bytes) {
        return serve(path, new Served(200, contentType, bytes, 0));
    }

    public String serve(String path, Served served) {
        files.put(path, served);
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many requests for {@code path} came so far. */
    public int requests(String path) {
        return requests.getOrDefault(path, 0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
