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
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.DeadLetters;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Messages;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.crypto.Digests;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers Webhook calls (one incoming message each) and Event Webhook calls (batches of status events) to the
 * projects' endpoints, at least once: everything it is handed is already in the store, and only a 2xx answer marks
 * a call done there. Calls from one user go in order, one at a time; different users go in parallel up to the
 * project's concurrency. Failed calls are retried with backoff for the retry window, then kept as dead letters
 * for a replay. Each project holds a bounded window of owed calls of each kind in memory ({@link OwedWindow}); the
 * rest, and what a restart, a takeover or a replay finds owed, are read back from the store a page at a time.
 */
public final class Dispatcher implements Deliveries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String EVENT_LANE = "events";
    private static final long PAGER_IDLE_MILLIS = 200;
    private static final long STORE_RETRY_MILLIS = 1_000;

    /**
     * What the dispatcher works with: the store's writer, the engine's instant replies, each project's current
     * settings and signer by id, the opener of stored message bodies, which addresses calls may go to, and
     * what hears each call's delivery time, each project's uploaded media by id (which an instant reply may
     * name), what gives a batch of events their messages' callback values, and where owed calls are read back.
     */
    public record Parts(WriteBatcher writer, InstantReplies replies, Function<String, Project> projects,
                        Function<MessageRecord, String> openPayload, Function<MessageRecord, String> openOrigin,
                        Function<String, Signer> signers, OutboundUrls urls, ObjectMapper json, DeliveryTimes times,
                        Function<String, MediaIds> media, UnaryOperator<List<EventRecord>> sent, Messages owed) {}

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
    /** Each project's owed Webhook calls and events, by project id. */
    private final Map<String, OwedWindow<IncomingCall>> owedHooks = new ConcurrentHashMap<>();
    private final Map<String, OwedWindow<QueuedEvent>> owedEvents = new ConcurrentHashMap<>();
    private final OwedWindow.Reader<IncomingCall> hookReader;
    private final OwedWindow.Reader<QueuedEvent> eventReader;
    /** Released when room frees up or a source falls behind: the pager looks again at once. */
    private final Semaphore pagerWake = new Semaphore(0);
    private volatile boolean running = true;

    public Dispatcher(DispatcherSettings settings, Parts parts) {
        this.settings = settings;
        this.parts = parts;
        this.formats = PayloadFormat.NAMES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                name -> name, name -> PayloadFormat.of(name, parts.json())));
        this.client = new WebhookClient(settings.requestTimeout(), Math.max(64, settings.concurrencyPerEndpoint()),
                parts.urls(), parts.signers(), System::currentTimeMillis);
        this.hookReader = new OwedWindow.Reader<>() {
            @Override
            public List<IncomingCall> page(Messages.OwedSource source, long after, int limit) {
                return parts.owed().owedHooks(source, after, limit).stream().map(owed -> new IncomingCall(
                        owed.message().projectId(), owed.message(), parts.openPayload().apply(owed.message()),
                        parts.openOrigin().apply(owed.message()), owed.since())).toList();
            }

            @Override
            public Messages.OwedCount count(Messages.OwedSource source) {
                return parts.owed().owedHooksCount(source);
            }
        };
        this.eventReader = new OwedWindow.Reader<>() {
            @Override
            public List<QueuedEvent> page(Messages.OwedSource source, long after, int limit) {
                long now = System.currentTimeMillis();
                return parts.owed().owedEvents(source, after, limit).stream()
                        .map(owed -> new QueuedEvent(owed.event(), owed.since(), now)).toList();
            }

            @Override
            public Messages.OwedCount count(Messages.OwedSource source) {
                return parts.owed().owedEventsCount(source);
            }
        };
        Thread.ofVirtual().name("webhook-pager").start(this::pageLoop);
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

    /**
     * Incoming messages and events still owed to the customer's server: waiting, under way or due for a retry, in
     * memory or in the store.
     */
    public long backlog() {
        long owed = 0;
        for (OwedWindow<?> window : owedHooks.values()) owed += window.owed();
        for (OwedWindow<?> window : owedEvents.values()) owed += window.owed();
        return owed;
    }

    /** The project's incoming messages and events still owed to its server. */
    public long backlog(String projectId) {
        OwedWindow<?> hooks = owedHooks.get(projectId);
        OwedWindow<?> events = owedEvents.get(projectId);
        return (hooks == null ? 0 : hooks.owed()) + (events == null ? 0 : events.owed());
    }

    /** The project's owed calls (Webhook calls and events) held in memory now: at most the window of each. */
    public int inMemory(String projectId) {
        OwedWindow<?> hooks = owedHooks.get(projectId);
        OwedWindow<?> events = owedEvents.get(projectId);
        return (hooks == null ? 0 : hooks.inMemory()) + (events == null ? 0 : events.inMemory());
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

    @Override
    public void shardStarted(String projectId, String number, int shard) {
        Messages.OwedSource source = new Messages.OwedSource(number, shard, 0);
        hooks(projectId).readFromStart(source);
        events(projectId).readFromStart(source);
        pagerWake.release();
    }

    @Override
    public void shardStopped(String projectId, String number, int shard) {
        Messages.OwedSource source = new Messages.OwedSource(number, shard, 0);
        hooks(projectId).stopReading(source);
        events(projectId).stopReading(source);
    }

    /** A replay revived the project's dead letters in the store: they are read back and delivered with the rest. */
    public void replayed(String projectId, DeadLetters.Revived revived) {
        revived.hooks().forEach(hooks(projectId)::revived);
        revived.events().forEach(events(projectId)::revived);
        pagerWake.release();
    }

    @Override
    public void incoming(Project project, MessageRecord message, String payload, String origin) {
        hooks(project.id()).arrived(new Messages.OwedSource(message.number(), message.shard(), 0),
                new IncomingCall(project.id(), message, payload, origin, message.times().created()));
    }

    @Override
    public void event(Project project, EventRecord event, int shard) {
        events(project.id()).arrived(new Messages.OwedSource(event.number(), shard, 0),
                new QueuedEvent(event, event.occurredAt(), System.currentTimeMillis()));
    }

    /** A project's owed Webhook calls; once the dispatcher is closed nothing is handed on (it stays in the store). */
    private OwedWindow<IncomingCall> hooks(String projectId) {
        return owedHooks.computeIfAbsent(projectId, id -> new OwedWindow<>(settings.callsInMemory(),
                call -> call.message.id(), call -> {
                    if (running) webhooks.computeIfAbsent(id, key -> new Endpoint("webhook-" + key,
                            new Target(key, false), settings, client, counters, formats::get, timers))
                            .add(call.message.peer(), call);
                }));
    }

    private OwedWindow<QueuedEvent> events(String projectId) {
        return owedEvents.computeIfAbsent(projectId, id -> new OwedWindow<>(settings.callsInMemory(),
                queued -> queued.event().id(), queued -> {
                    if (running) eventStreams.computeIfAbsent(id, EventStream::new).events.add(queued);
                }));
    }

    /**
     * Reads owed calls back from the store, a page per project and kind in turn, while their windows have room;
     * waits for room (a call's end) when none has. A store that fails is tried again every second.
     */
    private void pageLoop() {
        boolean failing = false;
        while (running) {
            try {
                boolean read = false;
                for (OwedWindow<IncomingCall> window : owedHooks.values()) read |= window.readPage(hookReader);
                for (OwedWindow<QueuedEvent> window : owedEvents.values()) read |= window.readPage(eventReader);
                if (failing) LOG.info("owed webhook calls are read back from the store again");
                failing = false;
                if (!read && pagerWake.tryAcquire(PAGER_IDLE_MILLIS, TimeUnit.MILLISECONDS)) pagerWake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!failing) LOG.warn("reading owed webhook calls back from the store failed (tried again every second): {}",
                        e.getMessage());
                failing = true;
                try {
                    Thread.sleep(STORE_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** A call ended (taken or given up): its room in the window is free for the next page. */
    private void ended(OwedWindow<?> window, long id) {
        window.ended(id);
        pagerWake.release();
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
        private final String origin;
        private final long since;
        /** When the message was handed over, just after it was stored (or read back after a restart or replay). */
        private final long storedAt = System.currentTimeMillis();

        IncomingCall(String projectId, MessageRecord message, String payload, String origin, long since) {
            this.projectId = projectId;
            this.message = message;
            this.payload = payload;
            this.origin = origin;
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
            return format.incoming(message, payload, origin);
        }

        @Override
        public void taken(Answer answer) {
            counters.webhookCalls.increment();
            ended(hooks(projectId), message.id());
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
            ended(hooks(projectId), message.id());
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

    /**
     * An Event Webhook call's {@code webhook-id}: its first event's id and a digest of all its events' ids. After a
     * restart, a takeover or a replay the owed events are batched again, maybe otherwise; a batch with other events
     * then has another id, so a receiver that de-duplicates by it drops only a batch it already took.
     */
    static String eventBatchId(List<EventRecord> batch) {
        ByteBuffer ids = ByteBuffer.allocate(Long.BYTES * batch.size());
        for (EventRecord event : batch) ids.putLong(event.id());
        byte[] digest = Digests.sha256(ids.array());
        return "evt_" + Ids.format(batch.getFirst().id()) + "_" + HexFormat.of().formatHex(digest, 0, 8);
    }

    /** One Event Webhook call: a batch of events. */
    private final class EventBatch implements Call {
        /** With what its messages were sent as once a format that writes it asked (read once, from the store). */
        private volatile List<EventRecord> batch;
        private volatile boolean sentRead;
        private final List<Long> storedAt;
        private final long since;
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        private final String id;

        EventBatch(List<EventRecord> batch, List<Long> storedAt, long since) {
            this.batch = batch;
            this.id = eventBatchId(batch);
            this.storedAt = storedAt;
            this.since = since;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long since() {
            return since;
        }

        @Override
        public byte[] body(PayloadFormat format) {
            // Read only for a format that writes them: the native one, the default, costs no store read a batch. A
            // failed read fails this attempt, which is made again like any other.
            if (format.readsMessages() && !sentRead) {
                batch = parts.sent().apply(batch);
                sentRead = true;
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
            OwedWindow<QueuedEvent> window = events(batch.getFirst().projectId());
            for (EventRecord event : batch) ended(window, event.id());
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
