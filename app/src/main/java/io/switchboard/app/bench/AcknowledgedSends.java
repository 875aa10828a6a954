package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Steady sends to one node from a few clients, in batches, at about a given rate and up to a given count: every id
 * the node acknowledged (202) is kept with its recipient, every other answer is counted, so that after a fault what
 * was lost, and what reached the network without a 202, can be counted.
 */
public final class AcknowledgedSends implements AutoCloseable {
    private static final int BATCH = 20;
    /** Longer than the store's 30 s wait for a connection: each request's fate is known, none is left in doubt. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** Answers that are not HTTP: the node did not answer at all. */
    public static final int NO_ANSWER = 0;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI messages;
    private final String token;
    private final String from;
    private final List<String> users;
    private final long maxMessages;
    private final long pauseNanos;
    private final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    private final LongAdder refusalsWithoutRetryAfter = new LongAdder();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong firstAcceptedSinceMark = new AtomicLong(-1);
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param ratePerSecond messages a second in all, about (each client waits between its batches)
     * @param maxMessages   the clients stop once this many were sent (the network keeps 100,000 arrivals to count)
     */
    public AcknowledgedSends(int httpPort, String token, String from, List<String> users, int clients,
                             double ratePerSecond, long maxMessages) {
        this.messages = URI.create("http://127.0.0.1:" + httpPort + "/v1/messages");
        this.token = token;
        this.from = from;
        this.users = users;
        this.maxMessages = maxMessages;
        this.pauseNanos = (long) (1e9 * BATCH * clients / ratePerSecond);
        for (int c = 0; c < clients; c++) {
            this.clients.add(Thread.ofPlatform().daemon().name("sends-" + c).start(this::sendUntilStopped));
        }
    }

    private void sendUntilStopped() {
        while (running) {
            long started = System.nanoTime();
            long first = sequence.getAndAdd(BATCH);
            if (first >= maxMessages) return;
            List<String> to = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) to.add(users.get((int) ((first + i) % users.size())));
            try {
                sendBatch(first, to);
                long rest = pauseNanos - (System.nanoTime() - started);
                if (rest > 0) Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sendBatch(long first, List<String> to) throws InterruptedException {
        int status;
        try {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < to.size(); i++) {
                batch.add(Map.of("from", from, "to", to.get(i), "type", "text", "text", Map.of("body", "m" + (first + i))));
            }
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(messages).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("messages", batch))))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            status = answer.statusCode();
            if (status == 202) remember(json.readTree(answer.body()).path("messages"), to);
            if (status == 503 && answer.headers().firstValue("Retry-After").isEmpty()) refusalsWithoutRetryAfter.increment();
        } catch (IOException nodeAway) {
            status = NO_ANSWER;
        }
        answers.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    private void remember(JsonNode ids, List<String> to) {
        for (int i = 0; i < ids.size(); i++) acknowledged.put(Ids.parse(ids.get(i).path("id").asText()), to.get(i));
        firstAcceptedSinceMark.compareAndSet(0, System.nanoTime());
    }

    /** Starts timing a recovery: {@link #firstAcceptedSinceMark} then tells when the next 202 came. */
    public void mark() {
        firstAcceptedSinceMark.set(0);
    }

    /** {@link System#nanoTime} of the first 202 since {@link #mark}; 0 while none came. */
    public long firstAcceptedSinceMark() {
        return Math.max(0, firstAcceptedSinceMark.get());
    }

    public long acknowledged() {
        return acknowledged.size();
    }

    public Set<Long> acknowledgedIds() {
        return Set.copyOf(acknowledged.keySet());
    }

    /** Requests answered with this status ({@link #NO_ANSWER}: none). */
    public long answered(int status) {
        LongAdder count = answers.get(status);
        return count == null ? 0 : count.sum();
    }

    /** Requests answered with neither 202 nor 503 (nor left without an answer). */
    public long answeredOtherwise() {
        return answers.entrySet().stream().filter(e -> e.getKey() != 202 && e.getKey() != 503 && e.getKey() != NO_ANSWER)
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    public long refusalsWithoutRetryAfter() {
        return refusalsWithoutRetryAfter.sum();
    }

    /** Stops the clients, letting the requests under way finish. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread client : clients) client.join(REQUEST_TIMEOUT.toMillis() + 5_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** What reached the given networks (one, or each run of a network restarted) from this load, against what was acknowledged. */
    public Tally tally(List<SimNetwork> networks) {
        Map<Long, Integer> arrivals = new HashMap<>();
        Set<String> recipients = Set.copyOf(users);
        for (SimNetwork network : networks) {
            for (String user : recipients) {
                for (UserMessage message : network.received(user)) {
                    if (message.from().equals(from)) arrivals.merge(message.messageId(), 1, Integer::sum);
                }
            }
        }
        Set<Long> missing = acknowledged.keySet().stream().filter(id -> !arrivals.containsKey(id)).collect(Collectors.toSet());
        long unacknowledged = arrivals.keySet().stream().filter(id -> !acknowledged.containsKey(id)).count();
        long duplicates = arrivals.values().stream().mapToLong(n -> n - 1).sum();
        return new Tally(acknowledged.size(), missing, unacknowledged, duplicates);
    }

    /**
     * @param missing        acknowledged with 202 and not (yet) received by their user
     * @param unacknowledged reached the network without a 202 (refused, or its answer never came)
     * @param duplicates     arrivals past the first of a message
     */
    public record Tally(long acknowledged, Set<Long> missing, long unacknowledged, long duplicates) {}
}
