package io.switchboard.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The customer's bot server in the demo: its Webhook answers every incoming message with an instant reply, and
 * its Event Webhook counts the delivery and read reports it is sent.
 */
public final class SampleBot implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final LongAdder messages = new LongAdder();
    private final LongAdder events = new LongAdder();

    private SampleBot(HttpServer server) {
        this.server = server;
    }

    public static SampleBot start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        SampleBot bot = new SampleBot(server);
        server.createContext("/webhook", bot::onMessage);
        server.createContext("/events", bot::onEvents);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return bot;
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    public String eventWebhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    public long messages() {
        return messages.sum();
    }

    public long events() {
        return events.sum();
    }

    private void onMessage(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode message = json.readTree(exchange.getRequestBody());
            messages.increment();
            String said = message.path("text").path("body").asText("");
            String reply = "Thanks for writing! You said: " + (said.length() > 30 ? said.substring(0, 30) + "..." : said);
            answerJson(exchange, json.writeValueAsBytes(json.createObjectNode().put("type", "text")
                    .set("text", json.createObjectNode().put("body", reply))));
        }
    }

    /** Answers 200 with a JSON body, as a customer's server does. */
    public static void answerJson(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void onEvents(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode batch = json.readTree(exchange.getRequestBody());
            events.add(batch.path("events").size());
            answerJson(exchange, "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
