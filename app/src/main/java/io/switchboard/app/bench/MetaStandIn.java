package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.dispatcher.signing.Signer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * A stand-in for Meta's Graph API and webhooks under load, for {@code bench upstream}: it serves
 * {@code POST /{version}/{phone_number_id}/messages} for the numbers it knows (bearer token checked), answering after
 * the Graph latency; refuses a number past its messages a second with 130429 (a token bucket holding one second) and
 * a user sent to again within Meta's pair rate (one message every 6 s) with 131056; and sends the status webhooks a
 * real number would (sent at once, delivered and read later) to the node's callback URL, signed with the app secret
 * ({@code X-Hub-Signature-256}), several statuses a call as Meta batches them under load, again until answered 200
 * as Meta retries. It counts what it took by each text's body (the bench makes them unique), so a message taken
 * twice shows. With a {@link #replyProbability}, a user who read a message answers it (an incoming message webhook,
 * with the user's profile name and the reply's context), as {@code demo --upstream cloud} shows.
 */
public final class MetaStandIn implements AutoCloseable {
    public static final String VERSION = "v21.0";
    static final Duration PAIR_INTERVAL = Duration.ofSeconds(6);
    private static final String WABA_ID = "102290129340398";
    /** Statuses in one webhook call, at most: Meta batches statuses under load. */
    private static final int BATCH = 100;
    /** Webhook calls under way at once. */
    private static final int POSTERS = 16;
    private static final long DELIVERED_AFTER_MS = 200;
    private static final long READ_AFTER_MS = 1_000;
    private static final String MAX_IDLE = "sun.net.httpserver.maxIdleConnections";

    /** A status of a message Meta took, or (status {@code REPLY}) the user's answer to it. */
    private record Status(String phoneNumberId, String wamid, String recipient, String status, long dueMillis) {}

    private static final String REPLY = "reply";

    /** Meta's throughput for one number: a bucket of {@code mps} tokens, refilled at {@code mps} a second. */
    private static final class Throughput {
        private final double mps;
        private double tokens;
        private long lastNanos = System.nanoTime();

        Throughput(double mps) {
            this.mps = mps;
            this.tokens = mps;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(mps, tokens + (now - lastNanos) * mps / 1e9);
            lastNanos = now;
            if (tokens < 1) return false;
            tokens--;
            return true;
        }
    }

    private final long latencyMillis;
    private final int mps;
    private final String appSecret;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Throughput> throughput = new ConcurrentHashMap<>();
    /** When each user was last sent to, by number and user: the pair rate. */
    private final Map<String, Long> lastToUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> takenBodies = new ConcurrentHashMap<>();
    private final AtomicLong wamids = new AtomicLong();
    /** Statuses due later, in the order they fall due (each queue has one delay). */
    private final ConcurrentLinkedQueue<Status> delivered = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Status> read = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<Status> due = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String webhookUrl;
    private volatile double replyProbability;
    private volatile boolean closed;

    final LongAdder taken = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder pairLimited = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder eventsTaken = new LongAdder();
    final LongAdder webhookCalls = new LongAdder();
    final LongAdder webhooksRefused = new LongAdder();
    /** Graph latency as this side saw it: the request handed to its handler to the answer written, in microseconds. */
    final Recorder graphMicros = new Recorder(3);
    final AtomicLong firstEventMillis = new AtomicLong();
    final AtomicLong lastEventMillis = new AtomicLong();

    static {
        // The JDK's server closes keep-alive connections past 200 idle ones (the node keeps hundreds of calls under
        // way, on a connection each), and the node then meets an EOF on a connection it reuses; Meta's does not.
        if (System.getProperty(MAX_IDLE) == null) System.setProperty(MAX_IDLE, "8192");
    }

    public MetaStandIn(Duration graphLatency, int mps, String appSecret) throws IOException {
        this.latencyMillis = graphLatency.toMillis();
        this.mps = mps;
        this.appSecret = appSecret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4_096);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        threads.add(Thread.ofPlatform().name("meta-statuses").daemon().start(this::releaseDue));
        for (int i = 0; i < POSTERS; i++) threads.add(Thread.ofVirtual().name("meta-webhook-" + i).start(this::post));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the webhooks go: the node's callback URL. */
    public void webhookUrl(String url) {
        this.webhookUrl = url;
    }

    /** The share of read messages their users answer, as they read them (0: none, the bench's default). */
    public void replyProbability(double probability) {
        this.replyProbability = probability;
    }

    /** A number this Meta serves, by its phone number id and access token. */
    public void number(String phoneNumberId, String accessToken) {
        tokens.put(phoneNumberId, accessToken);
        throughput.put(phoneNumberId, new Throughput(mps));
    }

    /** Different messages taken (by text body). */
    long reached() {
        return takenBodies.size();
    }

    /** Statuses not yet taken by the node. */
    long statusesOwed() {
        return delivered.size() + read.size() + due.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String[] path = exchange.getRequestURI().getPath().split("/"); // "", version, phone number id, "messages"
            String token = path.length == 4 ? tokens.get(path[2]) : null;
            if (token == null || !"POST".equals(exchange.getRequestMethod()) || !VERSION.equals(path[1])
                    || !"messages".equals(path[3])) {
                reply(exchange, 400, error(100, "Unsupported post request."));
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, error(190, "Invalid OAuth access token - Cannot parse access token"));
                return;
            }
            String phoneNumberId = path[2];
            sleep(latencyMillis);
            JsonNode body = json.readTree(raw);
            String to = body.path("to").asText("");
            if (!"whatsapp".equals(body.path("messaging_product").asText()) || to.isEmpty()) {
                reply(exchange, 400, error(100, "(#100) Invalid parameter"));
                return;
            }
            long now = System.currentTimeMillis();
            String pair = phoneNumberId + "|" + to;
            Long last = lastToUser.get(pair);
            if (last != null && now - last < PAIR_INTERVAL.toMillis()) {
                pairLimited.increment();
                reply(exchange, 400, error(131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"));
                return;
            }
            if (!throughput.get(phoneNumberId).take()) {
                throttled.increment();
                reply(exchange, 400, error(130429, "(#130429) Rate limit hit"));
                return;
            }
            lastToUser.put(pair, now);
            String wamid = "wamid.HBgM" + Long.toHexString(wamids.incrementAndGet()).toUpperCase();
            taken.increment();
            if (takenBodies.merge(body.path("text").path("body").asText(wamid), 1, Integer::sum) > 1) duplicates.increment();
            String recipient = to.startsWith("+") ? to.substring(1) : to;
            due.add(new Status(phoneNumberId, wamid, recipient, "sent", now));
            delivered.add(new Status(phoneNumberId, wamid, recipient, "delivered", now + DELIVERED_AFTER_MS));
            read.add(new Status(phoneNumberId, wamid, recipient, "read", now + READ_AFTER_MS));
            reply(exchange, 200, ("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\""
                    + recipient + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}").getBytes(StandardCharsets.US_ASCII));
        } finally {
            graphMicros.recordValue((System.nanoTime() - start) / 1_000);
        }
    }

    /** Moves the statuses that fell due to the webhook queue; forgets pairs past the pair rate now and then. */
    private void releaseDue() {
        long lastSweep = System.currentTimeMillis();
        while (!closed) {
            long now = System.currentTimeMillis();
            moveDue(delivered, now);
            moveDue(read, now);
            if (now - lastSweep > 1_000) {
                lastToUser.values().removeIf(at -> now - at >= PAIR_INTERVAL.toMillis());
                lastSweep = now;
            }
            sleep(5);
        }
    }

    private void moveDue(ConcurrentLinkedQueue<Status> queue, long now) {
        Status head;
        while ((head = queue.peek()) != null && head.dueMillis() <= now) {
            due.add(queue.poll());
            if (head.status().equals("read") && ThreadLocalRandom.current().nextDouble() < replyProbability) {
                due.add(new Status(head.phoneNumberId(), head.wamid(), head.recipient(), REPLY, now));
            }
        }
    }

    /** One webhook poster: takes up to a batch of due statuses, posts them signed, again until the node takes them. */
    private void post() {
        while (!closed) {
            List<Status> batch = new ArrayList<>(BATCH);
            try {
                Status first = due.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || webhookUrl == null) {
                    if (first != null) due.add(first);
                    continue;
                }
                batch.add(first);
                due.drainTo(batch, BATCH - 1);
                byte[] body = webhook(batch);
                while (!closed) {
                    webhookCalls.increment();
                    if (send(body) == 200) {
                        long now = System.currentTimeMillis();
                        firstEventMillis.compareAndSet(0, now);
                        lastEventMillis.accumulateAndGet(now, Math::max);
                        eventsTaken.add(batch.size());
                        break;
                    }
                    webhooksRefused.increment();
                    sleep(100);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int send(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Signer.hubSignature(appSecret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Meta's envelope: one entry, a change per number, each with its statuses. */
    private byte[] webhook(List<Status> batch) {
        Map<String, List<Status>> byNumber = new LinkedHashMap<>();
        for (Status status : batch) byNumber.computeIfAbsent(status.phoneNumberId(), id -> new ArrayList<>()).add(status);
        StringBuilder out = new StringBuilder(200 + batch.size() * 160);
        out.append("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"").append(WABA_ID).append("\",\"changes\":[");
        boolean firstChange = true;
        for (Map.Entry<String, List<Status>> number : byNumber.entrySet()) {
            if (!firstChange) out.append(',');
            firstChange = false;
            out.append("{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{")
                    .append("\"display_phone_number\":\"").append(number.getKey()).append("\",\"phone_number_id\":\"")
                    .append(number.getKey()).append('"').append('}');
            List<Status> statuses = number.getValue().stream().filter(s -> !s.status().equals(REPLY)).toList();
            List<Status> replies = number.getValue().stream().filter(s -> s.status().equals(REPLY)).toList();
            if (!statuses.isEmpty()) {
                out.append(",\"statuses\":[");
                for (int i = 0; i < statuses.size(); i++) {
                    Status status = statuses.get(i);
                    out.append(i == 0 ? "" : ",").append("{\"id\":\"").append(status.wamid()).append("\",\"status\":\"")
                            .append(status.status()).append("\",\"timestamp\":\"").append(status.dueMillis() / 1_000)
                            .append("\",\"recipient_id\":\"").append(status.recipient()).append("\"}");
                }
                out.append(']');
            }
            if (!replies.isEmpty()) { // Meta sends one message a change; the node takes several as well
                out.append(",\"contacts\":[");
                for (int i = 0; i < replies.size(); i++) {
                    String user = replies.get(i).recipient();
                    out.append(i == 0 ? "" : ",").append("{\"profile\":{\"name\":\"User ")
                            .append(user.substring(Math.max(0, user.length() - 4))).append("\"},\"wa_id\":\"").append(user)
                            .append("\"}");
                }
                out.append("],\"messages\":[");
                for (int i = 0; i < replies.size(); i++) {
                    Status reply = replies.get(i);
                    out.append(i == 0 ? "" : ",").append("{\"from\":\"").append(reply.recipient())
                            .append("\",\"id\":\"").append(reply.wamid()).append("-re\",\"timestamp\":\"")
                            .append(reply.dueMillis() / 1_000).append("\",\"context\":{\"from\":\"").append(number.getKey())
                            .append("\",\"id\":\"").append(reply.wamid()).append("\"},\"type\":\"text\",\"text\":{\"body\":")
                            .append("\"Thanks! Is it on everything?\"}}");
                }
                out.append(']');
            }
            out.append("}}");
        }
        out.append("]}]}");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] error(int code, String message) {
        return ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"fbtrace_id\":\"AbenchStandIn\"}}").getBytes(StandardCharsets.US_ASCII);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Messages Meta refused: past the number's throughput (130429), or to a user within the pair rate (131056). */
    public long refused() {
        return throttled.sum() + pairLimited.sum();
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        server.stop(0);
        client.close();
    }
}
