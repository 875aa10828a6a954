package io.switchboard.engine;

import io.switchboard.engine.budget.TpsBudget;
import io.switchboard.engine.outbox.Outbox;
import io.switchboard.engine.outbox.OutboxEntry;
import io.switchboard.engine.shard.Counters;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.LinkTarget;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.network.Shards;
import io.switchboard.network.SimLink;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.IdempotencyKey;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Messages;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.SendOptions;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The node's message engine: takes outgoing messages (durably, then into the outbox of the recipient's shard),
 * runs a {@link ShardWorker} per (number, shard), and sends instant replies ahead of the queues.
 */
public final class Engine implements AutoCloseable {
    /** The type of a failed message that was an invalid reply: its content is the JSON as the Webhook wrote it. */
    public static final String REJECTED_TYPE = "invalid";
    /** How long an idempotency key holds: a retry within it gets the first answer. */
    public static final Duration KEY_LIFETIME = Duration.ofHours(24);
    /** How often keys past their lifetime are swept from the store (each one is also cleared when reused). */
    private static final Duration KEY_SWEEP = Duration.ofHours(1);
    private final EngineSettings settings;
    private final Vault vault;
    private final Messages messages;
    private final WriteBatcher writer;
    private final Deliveries deliveries;
    private final Clock clock;
    private final BiFunction<LinkTarget, ShardLinkListener, ShardLink> links;
    private final Counters counters = new Counters();
    private final Map<String, NumberLine> lines = new ConcurrentHashMap<>();
    /** The projects of the open numbers, by id, as they are now. */
    private final Map<String, Project> projects = new ConcurrentHashMap<>();
    private final AtomicLong keysForgottenAt = new AtomicLong();

    public record Parts(Vault vault, Messages messages, WriteBatcher writer, Deliveries deliveries, Clock clock) {}

    public Engine(EngineSettings settings, Parts parts) {
        this.settings = settings;
        this.vault = parts.vault();
        this.messages = parts.messages();
        this.writer = parts.writer();
        this.deliveries = parts.deliveries();
        this.clock = parts.clock();
        this.links = (target, listener) -> SimLink.open(target, listener, settings.heartbeat());
    }

    /** Starts the number's shard workers and puts back in their outboxes the messages the store still has queued. */
    public NumberLine open(BusinessNumber number, Project project) {
        projects.putIfAbsent(project.id(), project);
        return lines.computeIfAbsent(number.number(), n -> {
            var key = vault.unwrap(number.number(), number.wrappedDataKey());
            Outbox.Loader loader = ids -> messages.byIds(ids).stream()
                    .filter(m -> m.status() == MessageStatus.QUEUED && m.direction() == Direction.OUT)
                    .map(m -> new OutboxEntry(m.id(), m.peer(), m.priority(), m.type(), key.open(m.id(), m.sealedBody()),
                            m.options().replyTo(), m.options().expiresAt()))
                    .toList();
            List<ShardWorker> workers = new ArrayList<>();
            for (int shard = 0; shard < number.shards(); shard++) {
                TpsBudget budget = new TpsBudget(shareOf(number));
                workers.add(new ShardWorker(new ShardWorker.Settings(number.number(), shard, project, key, budget, loader),
                        writer, deliveries, counters, clock));
            }
            NumberLine line = new NumberLine(number, project, key, List.copyOf(workers));
            messages.forEachQueued(number.number(), ref -> workers.get(ref.shard()).enqueueStored(ref));
            for (int shard = 0; shard < workers.size(); shard++) {
                workers.get(shard).start(links, new LinkTarget(settings.networkHost(), settings.networkPort(),
                        number.number(), shard, number.shards(), 0, settings.window(), number.deliveryReports()));
            }
            return line;
        });
    }

    /** Applies a project's new settings (its webhooks) to its running numbers. */
    public void update(Project project) {
        projects.put(project.id(), project);
        lines.replaceAll((number, line) -> {
            if (!line.project().id().equals(project.id())) return line;
            line.shards().forEach(worker -> worker.project(project));
            return new NumberLine(line.number(), project, line.key(), line.shards());
        });
    }

    /**
     * Applies a number's new settings to its running shard workers: the TPS budget, split over the shards as at
     * open, and delivery reports (the workers log in again to tell the network). The shard count cannot change.
     */
    public void update(BusinessNumber number) {
        lines.computeIfPresent(number.number(), (n, line) -> {
            if (number.shards() != line.shards().size()) {
                throw new IllegalArgumentException("number " + n + " runs on " + line.shards().size()
                        + " shards; it cannot change to " + number.shards() + " while open");
            }
            for (ShardWorker worker : line.shards()) {
                worker.budget().change(shareOf(number));
                worker.deliveryReports(number.deliveryReports());
            }
            return new NumberLine(number, line.project(), line.key(), line.shards());
        });
    }

    /** One shard's part of the number's TPS. */
    private static double shareOf(BusinessNumber number) {
        return (double) number.tps() / number.shards();
    }

    /** The current settings of a project that has a number open here. */
    public Optional<Project> project(String projectId) {
        return Optional.ofNullable(projects.get(projectId));
    }

    public Optional<NumberLine> line(String number) {
        return Optional.ofNullable(lines.get(number));
    }

    public Collection<NumberLine> lines() {
        return lines.values();
    }

    /** Every open number as it is now, in number order. */
    public List<LineSnapshot> snapshot() {
        return lines.values().stream().map(LineSnapshot::of)
                .sorted(java.util.Comparator.comparing(LineSnapshot::number)).toList();
    }

    public Counters counters() {
        return counters;
    }

    /** An accepted message: its id, and the line it will leave on. */
    public record Accepted(long id, OutgoingMessage message) {}

    /**
     * Stores the messages in one group commit and, once that is durable, queues them. The future fails when the
     * store did not take them; then nothing was queued.
     */
    public CompletableFuture<List<Accepted>> accept(Project project, List<OutgoingMessage> outgoing) {
        List<Accepted> accepted = ids(outgoing);
        List<Write> writes = new ArrayList<>(outgoing.size());
        for (Accepted a : accepted) writes.add(new Write.InsertMessage(record(project, a.id(), a.message())));
        return writer.submit(writes).thenApply(counts -> {
            queue(accepted);
            return accepted;
        });
    }

    /**
     * Like {@link #accept}, under an idempotency key: the key ({@code keyOf} makes it, with the answer to keep, from
     * the ids given) and the messages are stored in one commit, and only if the project has not used the key within
     * {@link #KEY_LIFETIME}. Answers empty when it has: then nothing was stored or queued, and the key's stored
     * answer is the one to give.
     */
    public CompletableFuture<Optional<List<Accepted>>> acceptOnce(Project project, List<OutgoingMessage> outgoing,
                                                                  Function<List<Accepted>, IdempotencyKey> keyOf) {
        List<Accepted> accepted = ids(outgoing);
        List<MessageRecord> records = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) records.add(record(project, a.id(), a.message()));
        long now = clock.millis();
        long forgetBefore = now - KEY_LIFETIME.toMillis();
        List<Write> writes = new ArrayList<>(2);
        writes.add(new Write.InsertOnce(keyOf.apply(accepted), forgetBefore, records));
        long last = keysForgottenAt.get();
        if (now - last > KEY_SWEEP.toMillis() && keysForgottenAt.compareAndSet(last, now)) {
            writes.add(new Write.ForgetKeys(forgetBefore));
        }
        return writer.submit(writes).thenApply(counts -> {
            if (counts[0] == 0) return Optional.<List<Accepted>>empty();
            queue(accepted);
            return Optional.of(accepted);
        });
    }

    private static List<Accepted> ids(List<OutgoingMessage> outgoing) {
        List<Accepted> accepted = new ArrayList<>(outgoing.size());
        for (OutgoingMessage message : outgoing) accepted.add(new Accepted(Ids.next(), message));
        return accepted;
    }

    /** Puts stored messages in line: in the outbox, or beside it until their time. */
    private void queue(List<Accepted> accepted) {
        counters.accepted(accepted.size());
        long now = clock.millis();
        for (Accepted a : accepted) {
            OutgoingMessage m = a.message();
            ShardWorker worker = lineOf(m).shardFor(m.to());
            if (m.options().scheduledAfter(now)) {
                worker.schedule(a.id(), new ShardWorker.Timed(m.priority(), m.to(), m.options().expiresAt()),
                        m.options().notBefore());
            } else {
                worker.enqueue(entry(a));
            }
        }
    }

    /**
     * Cancels an outgoing message that still waits on this node (queued or scheduled, never handed to the network):
     * it becomes {@code cancelled}, with an event. Answers false, changing nothing, when it is too late: the message
     * is in flight, sent, final already, or an instant reply. The future fails when the store did not take the
     * change; then the message is back in line.
     */
    public CompletableFuture<Boolean> cancel(MessageRecord message) {
        NumberLine line = lines.get(message.number());
        if (line == null || message.direction() != Direction.OUT || message.status() != MessageStatus.QUEUED) {
            return CompletableFuture.completedFuture(false);
        }
        ShardWorker worker = line.shards().get(message.shard());
        if (!worker.withdraw(message.id(), message.priority())) return CompletableFuture.completedFuture(false);
        Project project = projects.getOrDefault(message.projectId(), line.project());
        long now = clock.millis();
        EventRecord event = project.wantsEvents() ? new EventRecord(Ids.next(), project.id(), message.id(),
                message.number(), message.peer(), MessageStatus.CANCELLED, null, now) : null;
        CompletableFuture<int[]> written = writer.submit(new Write.ChangeStatus(message.id(), MessageStatus.CANCELLED, now,
                null, null, event));
        written.whenComplete((counts, failure) -> {
            if (failure != null) {
                SendOptions o = message.options();
                worker.enqueueStored(new Messages.QueuedRef(message.id(), message.shard(), message.priority(),
                        message.peer(), o.notBefore(), o.expiresAt()));
            }
        });
        return written.thenApply(counts -> {
            if (counts[0] == 0) return false;
            counters.status(MessageStatus.CANCELLED);
            if (event != null) deliveries.event(project, event);
            return true;
        });
    }

    /**
     * Sends replies to an incoming message at once, ahead of every queue, and records the replies that broke the
     * rules as failed messages with a {@code failed} event. All is stored together with {@code alsoCommit} (the
     * Webhook call they answer, marked done), so a crash can lose neither or both.
     */
    public CompletableFuture<List<Accepted>> instantReplies(Project project, List<OutgoingMessage> replies,
                                                            List<RejectedReply> rejected, Write alsoCommit) {
        List<Accepted> accepted = new ArrayList<>(replies.size());
        List<Write> writes = new ArrayList<>(replies.size() + rejected.size() + 1);
        for (OutgoingMessage reply : replies) {
            long id = Ids.next();
            accepted.add(new Accepted(id, reply));
            writes.add(new Write.InsertMessage(record(project, id, reply)));
        }
        List<EventRecord> failures = new ArrayList<>(rejected.size());
        for (RejectedReply reply : rejected) {
            Write.InsertMessage failed = failedReply(project, reply);
            writes.add(failed);
            if (failed.event() != null) failures.add(failed.event());
        }
        writes.add(alsoCommit);
        return writer.submit(writes).thenApply(counts -> {
            counters.accepted(accepted.size());
            for (Accepted a : accepted) lineOf(a.message()).shardFor(a.message().to()).enqueueInstant(entry(a));
            for (EventRecord event : failures) deliveries.event(project, event);
            return accepted;
        });
    }

    /** A reply that was never sendable: stored as failed at once, its JSON kept (sealed) for the customer to see. */
    private Write.InsertMessage failedReply(Project project, RejectedReply reply) {
        NumberLine line = lines.get(reply.from());
        long id = Ids.next();
        long now = clock.millis();
        int shard = Shards.of(reply.to(), line.shards().size());
        MessageRecord record = new MessageRecord(id, project.id(), reply.from(), Direction.OUT, reply.to(), shard,
                Priority.URGENT, REJECTED_TYPE, line.key().seal(id, reply.json()), MessageStatus.FAILED, null,
                reply.reason(), false, new MessageRecord.Times(now, null, null, null, now));
        EventRecord event = project.wantsEvents() ? new EventRecord(Ids.next(), project.id(), id, reply.from(),
                reply.to(), MessageStatus.FAILED, reply.reason(), now) : null;
        return new Write.InsertMessage(record, event);
    }

    private MessageRecord record(Project project, long id, OutgoingMessage message) {
        NumberLine line = lineOf(message);
        int shard = Shards.of(message.to(), line.shards().size());
        return new MessageRecord(id, project.id(), message.from(), Direction.OUT, message.to(), shard,
                message.priority(), message.type(), line.key().seal(id, message.payload()), MessageStatus.QUEUED, null,
                null, false, MessageRecord.Times.createdAt(clock.millis()), message.options());
    }

    private NumberLine lineOf(OutgoingMessage message) {
        NumberLine line = lines.get(message.from());
        if (line == null) throw new IllegalArgumentException("number " + message.from() + " is not open on this node");
        return line;
    }

    private static OutboxEntry entry(Accepted a) {
        OutgoingMessage m = a.message();
        return new OutboxEntry(a.id(), m.to(), m.priority(), m.type(), m.payload(), m.options().replyTo(),
                m.options().expiresAt());
    }

    @Override
    public void close() {
        for (NumberLine line : lines.values()) line.shards().forEach(ShardWorker::close);
        lines.clear();
    }
}
