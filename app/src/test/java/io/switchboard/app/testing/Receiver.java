package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A customer's server for tests: a real HTTP server that records every Webhook and Event Webhook call and answers
 * as the test says (by default 200 with an empty JSON object).
 */
public final class Receiver implements AutoCloseable {
    /** A recorded call: the path, the webhook-id header and the JSON body. */
    public record Call(String path, String webhookId, JsonNode body) {}

    /** What to answer: a status and a body. */
    public record Answer(int status, String body) {
        public static Answer ok() {
            return new Answer(200, "{}");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Answer> answers = call -> Answer.ok();

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public void answer(Function<Call, Answer> answers) {
        this.answers = answers;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Call> calls(String path) {
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    /** Every event the Event Webhook calls on {@code path} carried, in the order they arrived. */
    public List<JsonNode> events(String path) {
        return calls(path).stream().flatMap(call -> {
            List<JsonNode> events = new java.util.ArrayList<>();
            call.body().path("events").forEach(events::add);
            return events.stream();
        }).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Call call = new Call(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("webhook-id"),
                    json.readTree(exchange.getRequestBody()));
            Answer answer = answers.apply(call);
            if (answer.status() / 100 == 2) calls.add(call);
            byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
