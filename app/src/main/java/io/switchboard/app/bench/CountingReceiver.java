package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.app.demo.SampleBot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The customer's server under load: counts Webhook and Event Webhook calls, de-duplicates messages by id as a
 * careful receiver does, measures how long a message took from the network to here, can answer with an instant
 * reply, and can be taken down and brought back on the same port.
 */
final class CountingReceiver implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final int port;
    private volatile HttpServer server;
    private volatile boolean reply;

    final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    final LongAdder messageCalls = new LongAdder();
    final LongAdder duplicateMessages = new LongAdder();
    final LongAdder eventCalls = new LongAdder();
    final Map<String, LongAdder> eventsByStatus = new ConcurrentHashMap<>();
    /** When the last event of each status arrived, in epoch millis. */
    final Map<String, AtomicLong> lastEventAt = new ConcurrentHashMap<>();
    /** Network -> Webhook, in microseconds: from the message's timestamp (taken by the network) to its arrival here. */
    final Recorder networkToWebhookMicros = new Recorder(3);
    /** For the send scenario: when each message id was accepted, and the accept -> sent delay it then had. */
    final Map<String, Long> acceptedAtMillis = new ConcurrentHashMap<>();
    final Recorder acceptedToSentMillis = new Recorder(3);
    /** For the chat scenario: users whose message awaits its instant reply, with that message's network time. */
    private final Map<String, Long> awaitingReply = new ConcurrentHashMap<>();
    /** The user's message at the network -> the instant reply taken by the network (its "sent" event), in ms. */
    final Recorder replyMillis = new Recorder(3);
    final LongAdder repliesSent = new LongAdder();

    CountingReceiver() throws IOException {
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + port + "/webhook";
    }

    String eventWebhookUrl() {
        return "http://127.0.0.1:" + port + "/events";
    }

    void replyToEveryMessage(boolean reply) {
        this.reply = reply;
    }

    long events(String status) {
        LongAdder count = eventsByStatus.get(status);
        return count == null ? 0 : count.sum();
    }

    long lastEventMillis(String status) {
        AtomicLong at = lastEventAt.get(status);
        return at == null ? 0 : at.get();
    }

    /** Stops answering: connections are refused, as from a server that is down. */
    void down() {
        server.stop(0);
    }

    void up() throws IOException {
        server = start(port);
    }

    private HttpServer start(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        http.createContext("/webhook", this::onMessage);
        http.createContext("/events", this::onEvents);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return http;
    }

    private void onMessage(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode message = json.readTree(exchange.getRequestBody());
            long now = System.currentTimeMillis();
            messageCalls.increment();
            if (!messageIds.add(message.path("id").asText())) duplicateMessages.increment();
            long sentAt = Instant.parse(message.path("timestamp").asText()).toEpochMilli();
            networkToWebhookMicros.recordValue(Math.max(0, now - sentAt) * 1_000);
            if (reply) awaitingReply.put(message.path("from").asText(), sentAt);
            byte[] body = reply
                    ? ("{\"type\":\"text\",\"text\":{\"body\":\"Thanks! Your reference is " + message.path("id").asText() + "\"}}")
                            .getBytes(StandardCharsets.UTF_8)
                    : "{}".getBytes(StandardCharsets.UTF_8);
            SampleBot.answerJson(exchange, body);
        }
    }

    private void onEvents(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode batch = json.readTree(exchange.getRequestBody());
            long now = System.currentTimeMillis();
            eventCalls.increment();
            for (JsonNode event : batch.path("events")) {
                String status = event.path("status").asText();
                eventsByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
                lastEventAt.computeIfAbsent(status, s -> new AtomicLong()).accumulateAndGet(now, Math::max);
                if ("sent".equals(status)) sent(event);
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void sent(JsonNode event) {
        long sent = Instant.parse(event.path("timestamp").asText()).toEpochMilli();
        Long accepted = acceptedAtMillis.remove(event.path("message_id").asText());
        if (accepted != null) acceptedToSentMillis.recordValue(Math.max(0, sent - accepted));
        Long asked = awaitingReply.remove(event.path("recipient").asText());
        if (asked != null) {
            repliesSent.increment();
            replyMillis.recordValue(Math.max(0, sent - asked));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
