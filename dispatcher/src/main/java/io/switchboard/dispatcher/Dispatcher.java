package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.dispatcher.signing.Signer;
import io.switchboard.engine.Deliveries;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.RejectedReply;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MediaIds;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers Webhook calls (one incoming message each) and Event Webhook calls (batches of status events) to the
 * projects' endpoints, at least once: everything it is handed is already in the store, and only a 2xx answer marks
 * a call done there. Calls from one user go in order, one at a time; different users go in parallel up to the
 * project's concurrency. Failed calls are retried with backoff for the retry window, then kept as dead letters
 * for a replay. A node restart finds everything still owed in the store ({@link #redeliver}).
 */
public final class Dispatcher implements Deliveries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String EVENT_LANE = "events";

    /**
     * What the dispatcher works with: the store's writer, the engine's instant replies, each project's current
     * settings and signer by id, the opener of stored message bodies, the resolver that checks where calls go, and
     * what hears each call's delivery time, each project's uploaded media by id (which an instant reply may
     * name), and what gives a batch of events their messages' callback values.
     */
    public record Parts(WriteBatcher writer, InstantReplies replies, Function<String, Project> projects,
                        Function<MessageRecord, String> openPayload, Function<String, Signer> signers,
                        SocketAddressResolver resolver, ObjectMapper json, DeliveryTimes times,
                        Function<String, MediaIds> media, UnaryOperator<List<EventRecord>> callbacks) {}

    /** How one endpoint is doing, for the API and the dashboard. */
    public record EndpointStatus(String kind, String circuit, int waiting, int mostUnderWay, long recoveries) {}

    private final DispatcherSettings settings;
    private final Parts parts;
    private final Map<String, PayloadFormat> formats;
    private final WebhookClient client;
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-timers").daemon(true).factory());
    private final Map<String, Endpoint> webhooks = new ConcurrentHashMap<>();
    private final Map<String, EventStream> eventStreams = new ConcurrentHashMap<>();
    private final DispatchCounters counters = new DispatchCounters();
    private final LongAdder owed = new LongAdder();
    /** The same, by project id. */
    private final Map<String, LongAdder> owedByProject = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public Dispatcher(DispatcherSettings settings, Parts parts) {
        this.settings = settings;
        this.parts = parts;
        this.formats = PayloadFormat.NAMES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                name -> name, name -> PayloadFormat.of(name, parts.json())));
        this.client = new WebhookClient(settings.requestTimeout(), Math.max(64, settings.concurrencyPerEndpoint()),
                parts.resolver(), parts.signers(), System::currentTimeMillis);
    }

    /**
     * Meta's handshake with a Cloud-format callback URL: whether it echoes a challenge sent with the verify token,
     * through the same client (and the same address checks) as the calls.
     */
    public boolean verifiesAsMeta(String url, String verifyToken) {
        return client.verifiesAsMeta(url, verifyToken);
    }

    public DispatchCounters counters() {
        return counters;
    }

    /** Incoming messages and events still owed to the customer's server: waiting, under way or due for a retry. */
    public long backlog() {
        return owed.sum();
    }

    /** The project's incoming messages and events still owed to its server. */
    public long backlog(String projectId) {
        LongAdder owedHere = owedByProject.get(projectId);
        return owedHere == null ? 0 : owedHere.sum();
    }

    private void owe(String projectId, long calls) {
        owed.add(calls);
        owedByProject.computeIfAbsent(projectId, id -> new LongAdder()).add(calls);
    }

    /** The project's endpoints as they are now: the Webhook's, then the Event Webhook's, those that exist. */
    public List<EndpointStatus> status(String projectId) {
        List<EndpointStatus> status = new ArrayList<>();
        Endpoint webhook = webhooks.get(projectId);
        if (webhook != null) status.add(status("webhook", webhook));
        EventStream events = eventStreams.get(projectId);
        if (events != null) status.add(status("event_webhook", events.endpoint));
        return status;
    }

    private static EndpointStatus status(String kind, Endpoint endpoint) {
        return new EndpointStatus(kind, endpoint.circuitState().name().toLowerCase(java.util.Locale.ROOT),
                endpoint.waiting(), endpoint.mostUnderWay(), endpoint.recoveries());
    }

    /**
     * Hands over what the store says is owed, in id order so each user's calls keep their order. After a restart
     * ({@code replay} false) each call keeps the retry window it had; dead letters brought back by a replay get a
     * new window from now.
     */
    public void redeliver(List<MessageRecord> messages, List<EventRecord> events, boolean replay) {
        long now = System.currentTimeMillis();
        for (MessageRecord message : messages) {
            Project project = parts.projects().apply(message.projectId());
            if (project != null) {
                incoming(project, message, parts.openPayload().apply(message), replay ? now : message.times().created());
            }
        }
        for (EventRecord event : events) {
            Project project = parts.projects().apply(event.projectId());
            if (project != null) event(project, event, replay ? now : event.occurredAt());
        }
    }

    @Override
    public void incoming(Project project, MessageRecord message, String payload) {
        incoming(project, message, payload, message.times().created());
    }

    private void incoming(Project project, MessageRecord message, String payload, long since) {
        owe(project.id(), 1);
        webhooks.computeIfAbsent(project.id(), id -> new Endpoint("webhook-" + id, new Target(id, false), settings,
                client, counters, formats::get, timers))
                .add(message.peer(), new IncomingCall(project.id(), message, payload, since));
    }

    @Override
    public void event(Project project, EventRecord event) {
        event(project, event, event.occurredAt());
    }

    private void event(Project project, EventRecord event, long since) {
        owe(project.id(), 1);
        eventStreams.computeIfAbsent(project.id(), EventStream::new).events.add(
                new QueuedEvent(event, since, System.currentTimeMillis()));
    }

    /**
     * An event waiting for its batch, when its retry window started, and when it was handed over (just after it
     * was stored; after a restart or replay, when it was read back).
     */
    private record QueuedEvent(EventRecord event, long since, long storedAt) {}

    /** The project's endpoint, read again for every call: a changed URL or setting applies at once. */
    private final class Target implements Endpoint.Target {
        private final String projectId;
        private final boolean events;

        Target(String projectId, boolean events) {
            this.projectId = projectId;
            this.events = events;
        }

        @Override
        public Project project() {
            return parts.projects().apply(projectId);
        }

        @Override
        public String url(Project project) {
            if (project == null) return null;
            if (events) return project.wantsEvents() ? project.eventWebhookUrl() : null;
            return project.webhookUrl();
        }

        @Override
        public int concurrency(Project project) {
            if (events) return 1; // one call at a time keeps the project's events in order
            return project != null && project.webhookConcurrency() > 0 ? project.webhookConcurrency()
                    : settings.concurrencyPerEndpoint();
        }
    }

    /** The Webhook call for one incoming message. */
    private final class IncomingCall implements Call {
        private final String projectId;
        private final MessageRecord message;
        private final String payload;
        private final long since;
        /** When the message was handed over, just after it was stored (or read back after a restart or replay). */
        private final long storedAt = System.currentTimeMillis();

        IncomingCall(String projectId, MessageRecord message, String payload, long since) {
            this.projectId = projectId;
            this.message = message;
            this.payload = payload;
            this.since = since;
        }

        @Override
        public String id() {
            return "msg_" + Ids.format(message.id());
        }

        @Override
        public long since() {
            return since;
        }

        @Override
        public byte[] body(PayloadFormat format) {
            return format.incoming(message, payload);
        }

        @Override
        public void taken(Answer answer) {
            counters.webhookCalls.increment();
            owe(projectId, -1);
            parts.times().delivered(projectId, DeliveryTimes.Kind.WEBHOOK, storedAt, System.currentTimeMillis());
            Write done = new Write.HookDone(message.id());
            Project project = parts.projects().apply(projectId);
            Replies replies = project == null ? Replies.NONE : replies(project, message, answer.body());
            if (replies.isEmpty()) {
                parts.writer().submit(done);
            } else {
                parts.replies().send(project, replies.valid(), replies.rejected(), done);
                counters.instantReplies.add(replies.valid().size());
                counters.rejectedReplies.add(replies.rejected().size());
            }
        }

        @Override
        public void givenUp(String reason) {
            owe(projectId, -1);
            counters.deadLetters.increment();
            LOG.debug("project {}: the Webhook call for message {} is a dead letter: {}", projectId,
                    Ids.format(message.id()), reason);
            parts.writer().submit(new Write.HookDead(message.id(), reason, System.currentTimeMillis()));
        }
    }

    /** The instant replies in a Webhook answer: those to send, and those that broke the rules. */
    private record Replies(List<OutgoingMessage> valid, List<RejectedReply> rejected) {
        static final Replies NONE = new Replies(List.of(), List.of());

        boolean isEmpty() {
            return valid.isEmpty() && rejected.isEmpty();
        }
    }

    /**
     * The replies a Webhook answer carries: a message object ({@code {"type":"text","text":{"body":...}}}) or
     * {@code {"messages":[...]}}, addressed by default to the user who wrote, from the number written to. A reply
     * that breaks the rules is not sent; it is recorded as a failed message, so a {@code failed} event reports it.
     */
    private Replies replies(Project project, MessageRecord message, byte[] body) {
        if (body == null || body.length == 0) return Replies.NONE;
        JsonNode answer;
        try {
            answer = parts.json().readTree(body);
        } catch (IOException notJson) {
            return Replies.NONE; // a plain "OK" is an acknowledgement, not a reply
        }
        if (answer == null || !answer.isObject()) return Replies.NONE;
        List<JsonNode> items = new ArrayList<>();
        if (answer.has("messages") && answer.get("messages").isArray()) answer.get("messages").forEach(items::add);
        else if (answer.has("type") || answer.has("text")) items.add(answer);
        OutgoingMessage defaults = new OutgoingMessage(message.number(), message.peer(), "text", null, Priority.URGENT);
        MessageRules.Settings settings = MessageRules.Settings.now(message.number()::equals, defaults, Priority.URGENT,
                parts.media().apply(project.id()));
        List<OutgoingMessage> valid = new ArrayList<>();
        List<RejectedReply> rejected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                valid.add(MessageRules.parse(items.get(i), "messages[" + i + "]", settings));
            } catch (InvalidInput invalid) {
                String reason = invalid.code() + ": " + invalid.getMessage();
                rejected.add(new RejectedReply(message.number(), message.peer(), items.get(i).toString(), reason));
                LOG.info("project {}: a reply in the Webhook answer to message {} was not sent: {} (field {})",
                        project.id(), Ids.format(message.id()), reason, invalid.field());
            }
        }
        return new Replies(valid, rejected);
    }

    /** One project's status events, batched into Event Webhook calls that go one at a time, in order. */
    private final class EventStream {
        final LinkedBlockingQueue<QueuedEvent> events = new LinkedBlockingQueue<>();
        final Endpoint endpoint;

        EventStream(String projectId) {
            this.endpoint = new Endpoint("events-" + projectId, new Target(projectId, true), settings, client,
                    counters, formats::get, timers);
            Thread.ofVirtual().name("events-" + projectId).start(this::batchLoop);
        }

        private void batchLoop() {
            while (running) {
                try {
                    QueuedEvent first = events.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    List<EventRecord> batch = new ArrayList<>();
                    List<Long> storedAt = new ArrayList<>();
                    batch.add(first.event());
                    storedAt.add(first.storedAt());
                    long since = first.since();
                    long deadline = System.nanoTime() + settings.eventBatchDelay().toNanos();
                    while (batch.size() < settings.eventBatchSize()) {
                        QueuedEvent next = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (next == null) break;
                        batch.add(next.event());
                        storedAt.add(next.storedAt());
                        since = Math.max(since, next.since()); // a replayed event's new window counts for its batch
                    }
                    EventBatch call = new EventBatch(List.copyOf(batch), List.copyOf(storedAt), since);
                    endpoint.add(EVENT_LANE, call);
                    call.finished.join(); // the next batch waits: events stay in order
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("event stream {}: {}", endpoint, e.toString(), e);
                }
            }
        }
    }

    /** One Event Webhook call: a batch of events. */
    private final class EventBatch implements Call {
        /** With its messages' callback values once a format that carries them asked (read once, from the store). */
        private volatile List<EventRecord> batch;
        private volatile boolean callbacksRead;
        private final List<Long> storedAt;
        private final long since;
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        EventBatch(List<EventRecord> batch, List<Long> storedAt, long since) {
            this.batch = batch;
            this.storedAt = storedAt;
            this.since = since;
        }

        @Override
        public String id() {
            return "evt_" + Ids.format(batch.getFirst().id());
        }

        @Override
        public long since() {
            return since;
        }

        @Override
        public byte[] body(PayloadFormat format) {
            // Read only for a format that writes them: the native one, the default, costs no store read a batch. A
            // failed read fails this attempt, which is made again like any other.
            if (format.carriesCallbacks() && !callbacksRead) {
                batch = parts.callbacks().apply(batch);
                callbacksRead = true;
            }
            return format.events(batch);
        }

        @Override
        public void taken(Answer answer) {
            if (answer != Answer.NO_ENDPOINT) {
                counters.eventCalls.increment();
                counters.eventsDelivered.add(batch.size());
                long now = System.currentTimeMillis();
                String projectId = batch.getFirst().projectId();
                for (long stored : storedAt) parts.times().delivered(projectId, DeliveryTimes.Kind.EVENT_WEBHOOK, stored, now);
            }
            finish(batch.stream().<Write>map(e -> new Write.EventDone(e.id())).toList());
        }

        @Override
        public void givenUp(String reason) {
            counters.deadLetters.add(batch.size());
            long now = System.currentTimeMillis();
            finish(batch.stream().<Write>map(e -> new Write.EventDead(e.id(), reason, now)).toList());
        }

        private void finish(List<Write> writes) {
            parts.writer().submit(writes);
            owe(batch.getFirst().projectId(), -batch.size());
            finished.complete(null);
        }
    }

    @Override
    public void close() {
        running = false;
        webhooks.values().forEach(Endpoint::close);
        eventStreams.values().forEach(stream -> stream.endpoint.close());
        timers.shutdownNow();
        client.close();
    }
}
