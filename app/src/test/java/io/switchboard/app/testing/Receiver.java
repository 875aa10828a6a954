package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A customer's server for tests: a real HTTP server that records every Webhook and Event Webhook call (with its
 * headers and raw body), answers as the test says (by default 200 with an empty JSON object), counts how many
 * calls it has under way at once, and can go down (its port closed) and come back on the same port.
 */
public final class Receiver implements AutoCloseable {
    /**
     * A call: the path, its headers (names in lower case), the raw body, the status it was answered with, and when
     * it arrived (epoch ms).
     */
    public record Call(String path, Map<String, List<String>> headers, byte[] raw, JsonNode body, int status,
                       long arrivedMillis) {
        public String webhookId() {
            return header("webhook-id");
        }

        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** What to answer: a status and a body. */
    public record Answer(int status, String body) {
        public static Answer ok() {
            return new Answer(200, "{}");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final int port;
    private volatile HttpServer server;
    private final List<Call> taken = new CopyOnWriteArrayList<>();
    private final List<Call> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> underWay = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostUnderWay = new ConcurrentHashMap<>();
    /** The verify token this receiver's bot knows: it echoes Meta's challenge only to a GET that carries it. */
    public static final String VERIFY_TOKEN = "bot-verify-token";
    private volatile Function<Call, Answer> answers = call -> Answer.ok();

    public Receiver() throws IOException {
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int port) throws IOException {
        HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        started.createContext("/", this::handle);
        started.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        started.start();
        return started;
    }

    public void answer(Function<Call, Answer> answers) {
        this.answers = answers;
    }

    /** Closes the port: calls find nobody there. */
    public void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void up() throws IOException {
        server = listen(port);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The calls on {@code path} that were answered 2xx, in the order they arrived. */
    public List<Call> calls(String path) {
        return taken.stream().filter(call -> call.path().equals(path)).toList();
    }

    /** Every call on {@code path}, whatever it was answered. */
    public List<Call> attempts(String path) {
        return attempts.stream().filter(call -> call.path().equals(path)).toList();
    }

    /** The most calls on {@code path} that were under way at once. */
    public int mostUnderWay(String path) {
        AtomicInteger most = mostUnderWay.get(path);
        return most == null ? 0 : most.get();
    }

    /** Every event the Event Webhook calls on {@code path} carried, in the order they arrived. */
    public List<JsonNode> events(String path) {
        return calls(path).stream().flatMap(call -> {
            List<JsonNode> events = new ArrayList<>();
            call.body().path("events").forEach(events::add);
            return events.stream();
        }).toList();
    }

    /**
     * The text of each user's incoming messages on {@code path}, by sender, in the order they first arrived (a
     * call taken twice counts once): what a receiver that de-duplicates by webhook-id sees.
     */
    public Map<String, List<String>> textsByUser(String path) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, List<String>> byUser = new java.util.LinkedHashMap<>();
        for (Call call : calls(path)) {
            if (!seen.add(call.webhookId())) continue;
            byUser.computeIfAbsent(call.body().path("from").asText(), user -> new ArrayList<>())
                    .add(call.body().path("text").path("body").asText());
        }
        return byUser;
    }

    /** Meta's verification GET: answered as a Cloud API bot does, with the challenge when the token is its own. */
    private static boolean verification(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) return false;
        Map<String, String> query = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8),
                    parts.length < 2 ? "" : java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        boolean mine = "subscribe".equals(query.get("hub.mode")) && VERIFY_TOKEN.equals(query.get("hub.verify_token"));
        byte[] body = (mine ? query.getOrDefault("hub.challenge", "") : "forbidden").getBytes();
        try (exchange) {
            exchange.sendResponseHeaders(mine ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (verification(exchange)) return;
        String path = exchange.getRequestURI().getPath();
        AtomicInteger now = underWay.computeIfAbsent(path, p -> new AtomicInteger());
        mostUnderWay.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(), Math::max);
        boolean counted = true;
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
            Call received = new Call(path, headers, raw, json.readTree(raw), 0, System.currentTimeMillis());
            Answer answer = answers.apply(received);
            Call call = new Call(path, headers, raw, received.body(), answer.status(), received.arrivedMillis());
            attempts.add(call);
            if (answer.status() / 100 == 2) taken.add(call);
            // No longer under way once answered: the caller may start its next call the moment the answer arrives.
            now.decrementAndGet();
            counted = false;
            byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
        } finally {
            if (counted) now.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
