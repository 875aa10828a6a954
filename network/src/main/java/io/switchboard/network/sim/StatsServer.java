package io.switchboard.network.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The small HTTP surface of the simulated network on 127.0.0.1: {@code GET /stats},
 * {@code GET /users/{user}/messages}, {@code POST /inject {"number","from","text"}} and
 * {@code POST /control {"inbound_rate_per_number": n}}.
 */
final class StatsServer {
    private final SimNetwork network;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ObjectMapper json = new ObjectMapper();

    StatsServer(SimNetwork network, int port) throws IOException {
        this.network = network;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(executor);
        server.createContext("/stats", ex -> handle(ex, "GET", () -> network.stats().toJson()));
        server.createContext("/users/", ex -> handle(ex, "GET", () -> userMessages(ex)));
        server.createContext("/inject", ex -> handle(ex, "POST", () -> inject(ex)));
        server.createContext("/control", ex -> handle(ex, "POST", () -> control(ex)));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private interface Handler {
        Object handle() throws IOException;
    }

    private void handle(HttpExchange ex, String method, Handler handler) throws IOException {
        try (ex) {
            if (!method.equals(ex.getRequestMethod())) {
                respond(ex, 405, Map.of("error", "use " + method));
                return;
            }
            Object body;
            try {
                body = handler.handle();
            } catch (IllegalArgumentException | IOException e) {
                respond(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
                return;
            }
            if (body == null) {
                respond(ex, 404, Map.of("error", "not found"));
            } else {
                respond(ex, 200, body);
            }
        }
    }

    /** {@code /users/{user}/messages}; getPath() is already percent-decoded and keeps '+' as is. */
    private Object userMessages(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        String rest = path.substring("/users/".length());
        if (!rest.endsWith("/messages")) {
            return null;
        }
        String user = rest.substring(0, rest.length() - "/messages".length());
        return network.received(user);
    }

    private Object inject(HttpExchange ex) throws IOException {
        JsonNode body = readBody(ex);
        boolean accepted = network.inject(text(body, "number"), text(body, "from"), text(body, "text"));
        return Map.of("accepted", accepted);
    }

    private Object control(HttpExchange ex) throws IOException {
        JsonNode rate = readBody(ex).get("inbound_rate_per_number");
        if (rate == null || !rate.isNumber()) {
            throw new IllegalArgumentException("inbound_rate_per_number (number) is required");
        }
        network.setInboundRate(rate.asDouble());
        return Map.of("inbound_rate_per_number", network.inboundRate());
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            JsonNode node = json.readTree(in);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return node;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(field + " (string) is required");
        }
        return node.asText();
    }

    private void respond(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
