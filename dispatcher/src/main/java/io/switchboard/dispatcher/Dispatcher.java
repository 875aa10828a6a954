package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.engine.Deliveries;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers Webhook calls (one incoming message each) and Event Webhook calls (batches of status events) to the
 * projects' URLs, at least once: everything it is handed is already in the store, and only a 2xx answer marks a
 * call done there. A failed call is tried again with exponential backoff and jitter; a node restart finds the
 * rest in the store ({@link #recover}).
 *
 * <p>Threads: each Webhook URL has a fixed set of virtual-thread callers (its concurrency limit) fed by a queue,
 * so a slow server gets a steady stream instead of a flood. Each project's events go out through one virtual
 * thread that batches them, one call at a time, which keeps a message's events in order.
 */
public final class Dispatcher implements Deliveries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatcherSettings settings;
    private final WriteBatcher writer;
    private final InstantReplies replies;
    private final java.util.function.Function<String, Project> projects;
    private final ObjectMapper json;
    private final Payloads payloads;
    private final Backoff backoff;
    private final HttpClient http;
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-retries").daemon(true).factory());
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, EventStream> eventStreams = new ConcurrentHashMap<>();
    private final DispatchCounters counters = new DispatchCounters();
    private final java.util.concurrent.atomic.LongAdder owed = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean running = true;

    /** {@code projects} answers a project's current settings by id (null when unknown). */
    public Dispatcher(DispatcherSettings settings, WriteBatcher writer, InstantReplies replies,
                      java.util.function.Function<String, Project> projects, ObjectMapper json) {
        this.settings = settings;
        this.projects = projects;
        this.writer = writer;
        this.replies = replies;
        this.json = json;
        this.payloads = new Payloads(json);
        this.backoff = new Backoff(settings.firstRetry(), settings.maxRetryDelay());
        // Jetty's client rather than the JDK's: in the receive benchmark (one call a message) it carried about 9,900
        // calls a second where the JDK's carried 7,200, and it is the Jetty the API already runs on.
        this.http = new HttpClient();
        http.setConnectTimeout(settings.requestTimeout().toMillis());
        http.setFollowRedirects(false); // a redirect could lead a call to an address nobody checked
        http.setMaxConnectionsPerDestination(Math.max(64, settings.concurrencyPerEndpoint()));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the Webhook client did not start: " + e.getMessage(), e);
        }
    }

    /** A Webhook answer: its status and body. */
    private record Answer(int status, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    public DispatchCounters counters() {
        return counters;
    }

    /** Incoming messages and events still owed to the customer's server: waiting, under way or due for a retry. */
    public long backlog() {
        return owed.sum();
    }

    /** Hands over again what the store says is still owed: after a restart, nothing waits forever. */
    public void recover(List<MessageRecord> pendingHooks, List<EventRecord> pendingEvents,
                        java.util.function.Function<String, Project> projects,
                        java.util.function.Function<MessageRecord, String> openPayload) {
        for (MessageRecord message : pendingHooks) {
            Project project = projects.apply(message.projectId());
            if (project != null) incoming(project, message, openPayload.apply(message));
        }
        for (EventRecord event : pendingEvents) {
            Project project = projects.apply(event.projectId());
            if (project != null) event(project, event);
        }
    }

    @Override
    public void incoming(Project project, MessageRecord message, String payload) {
        if (project.webhookUrl() == null) return;
        owed.increment();
        endpoints.computeIfAbsent(project.webhookUrl(), url -> new Endpoint()).calls.add(new IncomingCall(project, message, payload, 0));
    }

    @Override
    public void event(Project project, EventRecord event) {
        if (!project.wantsEvents()) return;
        owed.increment();
        eventStreams.computeIfAbsent(project.id(), id -> new EventStream(project)).events.add(event);
    }

    private record IncomingCall(Project project, MessageRecord message, String payload, int attempt) {}

    /** One Webhook URL and its callers. */
    private final class Endpoint {
        final LinkedBlockingQueue<IncomingCall> calls = new LinkedBlockingQueue<>();
        /**
         * Calls waiting out their backoff. The first call the server takes again brings them all back at once: a
         * server that was down for a minute should not wait another minute for the longest backoffs to expire.
         */
        private final Set<IncomingCall> parked = ConcurrentHashMap.newKeySet();

        Endpoint() {
            for (int i = 0; i < settings.concurrencyPerEndpoint(); i++) {
                Thread.ofVirtual().name("webhook-" + i).start(this::callLoop);
            }
        }

        private void unpark(IncomingCall call) {
            if (parked.remove(call)) calls.add(call);
        }

        private void callLoop() {
            while (running) {
                try {
                    IncomingCall call = calls.poll(500, TimeUnit.MILLISECONDS);
                    if (call != null) deliver(call);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("webhook caller: {}", e.toString(), e);
                }
            }
        }

        private void deliver(IncomingCall call) {
            MessageRecord message = call.message();
            Project project = current(call.project());
            if (project.webhookUrl() == null) { // the Webhook was removed: nobody is left to tell
                writer.submit(new Write.HookDone(message.id()));
                owed.decrement();
                return;
            }
            Answer response = post(project.webhookUrl(), "msg_" + Ids.format(message.id()),
                    payloads.incoming(message, call.payload()));
            if (response == null || !response.ok()) {
                counters.failedCalls.increment();
                int attempt = call.attempt() + 1;
                if (attempt == 1) {
                    // The host only: a URL's path or query may carry the customer's secret.
                    LOG.warn("project {}: the Webhook at {} did not take message {} ({}); retrying with backoff",
                            project.id(), URI.create(project.webhookUrl()).getHost(), Ids.format(message.id()),
                            response == null ? "no answer" : "HTTP " + response.status());
                }
                IncomingCall retry = new IncomingCall(call.project(), message, call.payload(), attempt);
                parked.add(retry);
                retries.schedule(() -> unpark(retry), backoff.delayMillis(attempt), TimeUnit.MILLISECONDS);
                return;
            }
            if (!parked.isEmpty()) parked.forEach(this::unpark);
            counters.webhookCalls.increment();
            owed.decrement();
            Write done = new Write.HookDone(message.id());
            List<OutgoingMessage> instant = instantReplies(project, message, response.body());
            if (instant.isEmpty()) {
                writer.submit(done);
            } else {
                replies.send(project, instant, done);
                counters.instantReplies.add(instant.size());
            }
        }
    }

    /**
     * The replies a Webhook answer carries: a message object ({@code {"type":"text","text":{"body":...}}}) or
     * {@code {"messages":[...]}}, addressed by default to the user who wrote, from the number written to.
     */
    private List<OutgoingMessage> instantReplies(Project project, MessageRecord message, byte[] body) {
        if (body == null || body.length == 0) return List.of();
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException notJson) {
            return List.of(); // a plain "OK" is an acknowledgement, not a reply
        }
        if (answer == null || !answer.isObject()) return List.of();
        List<JsonNode> items = new ArrayList<>();
        if (answer.has("messages") && answer.get("messages").isArray()) answer.get("messages").forEach(items::add);
        else if (answer.has("type") || answer.has("text")) items.add(answer);
        OutgoingMessage defaults = new OutgoingMessage(message.number(), message.peer(), "text", null, Priority.URGENT);
        List<OutgoingMessage> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                result.add(MessageRules.parse(items.get(i), "messages[" + i + "]", message.number()::equals, defaults,
                        Priority.URGENT));
            } catch (InvalidInput invalid) {
                counters.rejectedReplies.increment();
                LOG.warn("project {}: the Webhook answer to message {} has a reply that was not sent: {} ({}: {})",
                        project.id(), Ids.format(message.id()), invalid.getMessage(), invalid.field(), invalid.code());
            }
        }
        return result;
    }

    /** One project's status events, batched into Event Webhook calls, one call at a time. */
    private final class EventStream {
        final LinkedBlockingQueue<EventRecord> events = new LinkedBlockingQueue<>();
        private final Project project;

        EventStream(Project project) {
            this.project = project;
            Thread.ofVirtual().name("events-" + project.id()).start(this::sendLoop);
        }

        private void sendLoop() {
            List<EventRecord> batch = new ArrayList<>();
            int attempt = 0;
            while (running) {
                try {
                    if (batch.isEmpty()) {
                        EventRecord first = events.poll(500, TimeUnit.MILLISECONDS);
                        if (first == null) continue;
                        batch.add(first);
                        long deadline = System.nanoTime() + settings.eventBatchDelay().toNanos();
                        while (batch.size() < settings.eventBatchSize()) {
                            EventRecord next = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                            if (next == null) break;
                            batch.add(next);
                        }
                    }
                    Project project = current(this.project);
                    if (!project.wantsEvents()) { // switched off: what waits is not wanted any more
                        markDone(batch);
                        continue;
                    }
                    Answer response = post(project.eventWebhookUrl(),
                            "evt_" + Ids.format(batch.getFirst().id()), payloads.events(batch));
                    if (response != null && response.ok()) {
                        counters.eventCalls.increment();
                        counters.eventsDelivered.add(batch.size());
                        markDone(batch);
                        attempt = 0;
                    } else {
                        counters.failedCalls.increment();
                        Thread.sleep(backoff.delayMillis(++attempt));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("event webhook of project {}: {}", project.id(), e.toString(), e);
                }
            }
        }
    }

    private void markDone(List<EventRecord> batch) {
        writer.submit(batch.stream().<Write>map(e -> new Write.EventDone(e.id())).toList());
        owed.add(-batch.size());
        batch.clear();
    }

    /** The project's settings as they are now: a changed URL or a switched-off Event Webhook applies at once. */
    private Project current(Project project) {
        Project now = projects.apply(project.id());
        return now != null ? now : project;
    }

    /** POSTs JSON; null when the server could not be reached or did not answer in time. */
    private Answer post(String url, String callId, byte[] body) {
        try {
            ContentResponse response = http.POST(url)
                    .headers(headers -> headers.put("webhook-id", callId))
                    .body(new BytesRequestContent("application/json", body))
                    .timeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .send();
            return new Answer(response.getStatus(), response.getContent());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("call {} failed: {}", callId, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        retries.shutdownNow();
        try {
            http.stop();
        } catch (Exception e) {
            LOG.debug("stopping the Webhook client: {}", e.toString());
        }
    }
}
