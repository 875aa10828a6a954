package io.switchboard.engine;

import io.switchboard.engine.budget.TpsBudget;
import io.switchboard.engine.media.IncomingMedia;
import io.switchboard.engine.media.MediaLinks;
import io.switchboard.engine.outbox.Outbox;
import io.switchboard.engine.outbox.OutboxEntry;
import io.switchboard.engine.shard.Counters;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.LinkTarget;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.network.SimLink;
import io.switchboard.network.groups.GroupCommand;
import io.switchboard.network.groups.GroupInfo;
import io.switchboard.network.groups.GroupRefused;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.IdempotencyKey;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Messages;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.SendOptions;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.ids.NodeIds;
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
    /** How often keys past their lifetime are swept from the store (a few thousand a sweep; one reused is taken over). */
    private static final Duration KEY_SWEEP = Duration.ofMinutes(1);
    private final EngineSettings settings;
    private final Vault vault;
    private final Messages messages;
    private final WriteBatcher writer;
    private final NodeIds ids;
    private final Deliveries deliveries;
    private final Clock clock;
    private final MediaLinks mediaLinks;
    private final IncomingMedia incomingMedia;
    private final BiFunction<LinkTarget, ShardLinkListener, ShardLink> links;
    private final Counters counters = new Counters();
    /** Each open number's own tallies (children of {@code counters}). */
    private final Map<String, Counters> countersByNumber = new ConcurrentHashMap<>();
    private final Map<String, NumberLine> lines = new ConcurrentHashMap<>();
    /** Handed-off messages taken into an outbox whose removal from the handoffs is not committed yet. */
    private final java.util.Set<Long> handoffsBeingTaken = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Predicate<String> openFromStore;
    /** The projects of the open numbers, by id, as they are now. */
    private final Map<String, Project> projects = new ConcurrentHashMap<>();
    private final AtomicLong keysForgottenAt = new AtomicLong();
    private final QueueRoom queueRoom;

    /**
     * {@code ids}: the node's own ids, for everything it stores; {@code mediaLinks}: fetches the files media messages
     * name by link, before they are sent; {@code incomingMedia}: stores the files of incoming media messages.
     */
    public record Parts(Vault vault, Messages messages, WriteBatcher writer, NodeIds ids, Deliveries deliveries,
                        Clock clock, MediaLinks mediaLinks, IncomingMedia incomingMedia) {}

    /** An engine whose shards all log in to the (simulated) network. */
    public Engine(EngineSettings settings, Parts parts) {
        this(settings, parts, networkLinks(settings));
    }

    /** Opens a shard's link to the (simulated) network. */
    public static BiFunction<LinkTarget, ShardLinkListener, ShardLink> networkLinks(EngineSettings settings) {
        return (target, listener) -> SimLink.open(target, listener, settings.heartbeat());
    }

    /** An engine whose shards open their link through {@code links} (some numbers go to Meta's Cloud API). */
    public Engine(EngineSettings settings, Parts parts, BiFunction<LinkTarget, ShardLinkListener, ShardLink> links) {
        this.settings = settings;
        this.vault = parts.vault();
        this.messages = parts.messages();
        this.writer = parts.writer();
        this.ids = parts.ids();
        this.deliveries = parts.deliveries();
        this.clock = parts.clock();
        this.mediaLinks = parts.mediaLinks();
        this.incomingMedia = parts.incomingMedia();
        this.links = links;
        this.queueRoom = new QueueRoom(settings.queueRoomPerProject(), clock, lines::values);
    }

    /**
     * Opens the number on this node. A single node starts every shard at once, putting back in their outboxes the
     * messages the store still has queued; a clustered node starts a shard only when it holds its lease
     * ({@link #startShard}).
     */
    public NumberLine open(BusinessNumber number, Project project) {
        projects.putIfAbsent(project.id(), project);
        NumberLine opened = lines.computeIfAbsent(number.number(), n -> {
            var key = vault.unwrap(number.number(), number.wrappedDataKey());
            Outbox.Loader loader = ids -> messages.byIds(ids).stream()
                    .filter(m -> m.status() == MessageStatus.QUEUED && m.direction() == Direction.OUT)
                    .map(m -> new OutboxEntry(m.id(), m.peer(), m.priority(), m.type(), key.open(m.id(), m.sealedBody()),
                            m.options().replyTo(), m.options().expiresAt()))
                    .toList();
            return new NumberLine(number, project, key, loader, new ShardSlots(number.shards()));
        });
        if (!settings.clustered()) startEveryShard(number);
        return opened;
    }

    /**
     * Runs shard {@code shard} of {@code shards} of an open number on this node: a worker that logs in with
     * {@code epoch} (the network refuses any older one), acts only while {@code leaseValid}, and starts from what the
     * store has queued for the shard. False when the number is not open here on that many shards (a re-shard came
     * between the lease and now) or the shard already runs. When reading the store fails it throws, and the shard
     * does not run here (it is not left in its slot half started, where nothing would ever start it).
     */
    public boolean startShard(String number, int shard, int shards, long epoch,
                              java.util.function.BooleanSupplier leaseValid) {
        NumberLine line = lines.get(number);
        if (line == null || line.shards().count() != shards) return false;
        BusinessNumber settings = line.number();
        ShardWorker worker = new ShardWorker(new ShardWorker.Settings(number, shard, line.project(), line.key(),
                new TpsBudget(shareOf(settings)), line.loader(), leaseValid, mediaLinks, incomingMedia,
                this.settings.contactRefresh(), networkId -> messages.idByNetworkId(number, networkId)), writer, ids, deliveries, numberCounters(number), clock);
        if (!line.shards().start(shard, worker)) return false;
        try {
            // Handed-off ids are all among the queued ones read next; dropping them first keeps each in one outbox once.
            if (this.settings.clustered()) messages.dropHandoffs(number, shard);
            messages.forEachQueued(number, shard, worker::enqueueStored);
            deliveries.shardStarted(line.project().id(), number, shard);
            worker.start(links, new LinkTarget(this.settings.networkHost(), this.settings.networkPort(), number, shard,
                    settings.shards(), epoch, this.settings.window(), settings.deliveryReports()));
        } catch (RuntimeException e) {
            line.shards().remove(shard, worker);
            closed(line, shard, worker);
            throw e;
        }
        return true;
    }

    /** Whether the shard's worker runs here and still spends its budget (a worker the network fenced does not). */
    public boolean shardRunning(String number, int shard) {
        NumberLine line = lines.get(number);
        if (line == null || shard >= line.shards().count()) return false;
        ShardWorker worker = line.shards().get(shard);
        return worker != null && worker.running();
    }

    /** Stops the shard's worker here (its lease is gone or handed on); what it had queued stays in the store. */
    public void stopShard(String number, int shard) {
        NumberLine line = lines.get(number);
        if (line == null) return;
        closed(line, shard, line.shards().stop(shard));
    }

    /** Closes a shard's worker taken out of its slot (if there was one), and says the shard no longer runs here. */
    private void closed(NumberLine line, int shard, ShardWorker worker) {
        if (worker == null) return;
        worker.close();
        deliveries.shardStopped(line.project().id(), line.number().number(), shard);
    }

    /**
     * Stops every shard of the number that runs here, once the network acknowledged what they had sent (or
     * {@code drain} passed, for them all): the first step of a re-shard.
     */
    public void stopNumber(String number, java.time.Duration drain) throws InterruptedException {
        NumberLine line = lines.get(number);
        if (line == null) return;
        long deadline = System.nanoTime() + drain.toNanos();
        List<ShardWorker> workers = line.shards().running();
        workers.forEach(ShardWorker::stopSending);
        for (ShardWorker worker : workers) worker.awaitAcks(deadline);
        for (int shard = 0; shard < line.shards().count(); shard++) stopShard(number, shard);
    }

    /**
     * Takes a deleted number out of this node: its shards stop once the network answered what they sent (or
     * {@code drain} passed), and it is no longer open here. What the store holds for it stays, for the sweeper.
     */
    public void remove(String number, java.time.Duration drain) throws InterruptedException {
        stopNumber(number, drain);
        lines.remove(number);
    }

    /**
     * Cancels the outgoing messages the store still has queued for a number taken out of this node (so no outbox
     * here holds them), a thousand per group commit, each with its event when the project wants events; answers how
     * many it cancelled. A message that moved on meanwhile (another node sent it) is left as it is.
     */
    public int cancelQueued(String number, Project project) {
        long now = clock.millis();
        List<Messages.QueuedRef> batch = new ArrayList<>();
        int[] cancelled = {0};
        Runnable flush = () -> {
            List<Write> writes = new ArrayList<>(batch.size());
            List<EventRecord> events = new ArrayList<>(batch.size());
            for (Messages.QueuedRef ref : batch) {
                EventRecord event = project.wantsEvents() ? new EventRecord(ids.next(), project.id(), ref.id(), number,
                        ref.peer(), MessageStatus.CANCELLED, null, now) : null;
                events.add(event);
                writes.add(new Write.ChangeStatus(ref.id(), number, MessageStatus.CANCELLED, now, null, null, event));
            }
            int[] counts = writer.submit(writes).join();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) continue;
                cancelled[0]++;
                numberCounters(number).status(MessageStatus.CANCELLED);
                if (events.get(i) != null) deliveries.event(project, events.get(i), batch.get(i).shard());
            }
            batch.clear();
        };
        messages.forEachQueued(number, ref -> {
            batch.add(ref);
            if (batch.size() == 1_000) flush.run();
        });
        if (!batch.isEmpty()) flush.run();
        return cancelled[0];
    }

    /**
     * Opens the number again with a new shard count (its shards stopped, its queued messages re-routed in the
     * store): a single node starts every new shard; in a cluster the leases decide. Once only: in a cluster the
     * re-shard and this node's next cluster round both ask, and the second must not stop the shards the first started.
     */
    public void reopen(BusinessNumber number) {
        reopen(number, line -> line.shards().count() != number.shards());
    }

    /** Opens the number again on the shards it has (its link changed: the network, or Meta's Cloud API). */
    public void restart(BusinessNumber number) {
        reopen(number, line -> true);
    }

    private void reopen(BusinessNumber number, java.util.function.Predicate<NumberLine> needed) {
        java.util.concurrent.atomic.AtomicBoolean reopened = new java.util.concurrent.atomic.AtomicBoolean();
        lines.computeIfPresent(number.number(), (n, line) -> {
            if (!needed.test(line)) return line;
            for (int shard = 0; shard < line.shards().count(); shard++) closed(line, shard, line.shards().stop(shard));
            reopened.set(true);
            return new NumberLine(number, line.project(), line.key(), line.loader(), new ShardSlots(number.shards()));
        });
        if (reopened.get() && !settings.clustered()) startEveryShard(number);
    }

    /** A single node runs every shard of its numbers, at epoch 0 and always sure of its (absent) lease. */
    private void startEveryShard(BusinessNumber number) {
        for (int shard = 0; shard < number.shards(); shard++) startShard(number.number(), shard, number.shards(), 0, () -> true);
    }

    /**
     * Takes into the outboxes the messages other nodes accepted for the shards this node runs (a clustered node's
     * only way in for them), and marks them taken. A message stored for the wrong shard (the node that accepted it had
     * not yet seen a re-shard) goes to its recipient's shard under the current count: here, or on to that shard's
     * owner through the store. Answers how many it took or moved.
     */
    public int takeHandoffs(int limit) {
        int taken = 0;
        for (NumberLine line : lines.values()) {
            List<Integer> acting = new ArrayList<>();
            for (int shard = 0; shard < line.shards().count(); shard++) if (acting(line, shard) != null) acting.add(shard);
            List<Messages.QueuedRef> refs = messages.handoffs(line.number().number(), acting, line.shards().count(), limit);
            List<Write> done = new ArrayList<>(refs.size());
            List<Long> ids = new ArrayList<>(refs.size());
            for (Messages.QueuedRef ref : refs) {
                if (handoffsBeingTaken.contains(ref.id())) continue; // read again before its removal committed
                int shard = line.shardOf(ref.peer());
                ShardWorker worker = acting(line, shard);
                if (worker == null) {
                    done.add(new Write.Reroute(ref.id(), shard));
                } else {
                    if (!worker.enqueueStored(ref)) continue; // stopped meanwhile: its next owner reads it
                    if (ref.shard() != shard) done.add(new Write.Reroute(ref.id(), shard));
                    done.add(new Write.HandoffTaken(ref.id()));
                }
                handoffsBeingTaken.add(ref.id());
                ids.add(ref.id());
            }
            if (done.isEmpty()) continue;
            writer.submit(done).whenComplete((counts, failure) -> ids.forEach(handoffsBeingTaken::remove));
            taken += ids.size();
        }
        return taken;
    }

    /**
     * The shard's worker here if it may act now: a node that is not sure of its lease (it froze, or cannot renew)
     * must not take handed-off messages, whose handoff it would delete for a worker about to find its shard gone.
     */
    private static ShardWorker acting(NumberLine line, int shard) {
        ShardWorker worker = line.shards().get(shard);
        return worker != null && worker.mayAct() ? worker : null;
    }

    /** Applies a project's new settings (its webhooks) to its running numbers. */
    public void update(Project project) {
        projects.put(project.id(), project);
        lines.replaceAll((number, line) -> {
            if (!line.project().id().equals(project.id())) return line;
            line.shards().running().forEach(worker -> worker.project(project));
            return new NumberLine(line.number(), project, line.key(), line.loader(), line.shards());
        });
    }

    /**
     * Applies a number's new settings to its running shard workers: the TPS budget, split over the shards as at
     * open, and delivery reports (the workers log in again to tell the network). The shard count cannot change.
     */
    public void update(BusinessNumber number) {
        lines.computeIfPresent(number.number(), (n, line) -> {
            if (number.shards() != line.shards().count()) {
                throw new IllegalArgumentException("number " + n + " runs on " + line.shards().count()
                        + " shards; it cannot change to " + number.shards() + " while open");
            }
            for (ShardWorker worker : line.shards().running()) {
                worker.share(shareOf(number));
                worker.deliveryReports(number.deliveryReports());
            }
            return new NumberLine(number, line.project(), line.key(), line.loader(), line.shards());
        });
    }

    /** One shard's part of the number's TPS. */
    private static double shareOf(BusinessNumber number) {
        return (double) number.tps() / number.shards();
    }

    /**
     * The events, each with what its message was sent as (its callback value opened with its number's key, its type,
     * the network's id of it, whether {@code onCloud} says its number is on Meta's Cloud API), read from the messages
     * in one query: events are made from the network's reports, long after the message left memory.
     */
    public List<EventRecord> withMessages(List<EventRecord> events, java.util.function.Predicate<String> onCloud) {
        Map<Long, EventRecord.Sent> sent = new java.util.HashMap<>();
        Map<String, Boolean> cloud = new java.util.HashMap<>();
        for (Messages.SentRow row : messages.sent(events.stream().map(EventRecord::messageId)
                .collect(java.util.stream.Collectors.toSet()))) {
            Optional<NumberLine> line = line(row.number());
            if (line.isEmpty()) continue;
            String callback = row.sealedCallback() == null ? null
                    : line.get().key().openCallback(row.messageId(), row.sealedCallback());
            sent.put(row.messageId(), new EventRecord.Sent(callback, row.type(), row.networkId(),
                    cloud.computeIfAbsent(row.number(), onCloud::test)));
        }
        if (sent.isEmpty()) return events;
        return events.stream().map(e -> e.withSent(sent.get(e.messageId()))).toList();
    }

    /** The current settings of a project that has a number open here. */
    public Optional<Project> project(String projectId) {
        return Optional.ofNullable(projects.get(projectId));
    }

    /**
     * The number as open here. In a cluster a number another node just added is opened from the store on first use,
     * so any node's API serves it at once rather than after its next heartbeat.
     */
    public Optional<NumberLine> line(String number) {
        NumberLine line = lines.get(number);
        if (line == null && settings.clustered() && openFromStore != null && openFromStore.test(number)) {
            line = lines.get(number);
        }
        return Optional.ofNullable(line);
    }

    /** In a cluster: how to open a number this node has not opened yet, if the store has it (true when opened). */
    public void openFromStore(java.util.function.Predicate<String> opener) {
        this.openFromStore = opener;
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

    /** One number's tallies of what this node did for it since it started (all zero for a number never seen). */
    public Counters counters(String number) {
        Counters found = countersByNumber.get(number);
        return found != null ? found : new Counters();
    }

    private Counters numberCounters(String number) {
        return countersByNumber.computeIfAbsent(number, n -> counters.child());
    }

    /**
     * Asks the network for a group operation of the number, over a connection this node has for it. Fails with a
     * {@link GroupRefused} when the network refused it, or ({@code not_connected}) when no shard of the number is
     * connected here.
     */
    public CompletableFuture<GroupInfo> group(String number, GroupCommand command) {
        NumberLine line = lines.get(number);
        ShardWorker connected = line == null ? null
                : line.shards().running().stream().filter(ShardWorker::connected).findFirst().orElse(null);
        if (connected == null) {
            return CompletableFuture.failedFuture(new GroupRefused("not_connected", "no shard of " + number
                    + " is connected to the network on this node; try again"));
        }
        return connected.group(command);
    }

    /** An accepted message: its id, and the line it will leave on. */
    public record Accepted(long id, OutgoingMessage message) {}

    /**
     * Stores the messages in one group commit and, once that is durable, queues them. The future fails when the
     * store did not take them; then nothing was queued. In a cluster every message is handed off through the store
     * in the same commit, and the node that runs its shard takes it from there.
     */
    public CompletableFuture<List<Accepted>> accept(Project project, List<OutgoingMessage> outgoing) {
        Optional<QueueFull> full = queueRoom.full(project.id());
        if (full.isPresent()) return CompletableFuture.failedFuture(full.get());
        List<Accepted> accepted = withIds(outgoing);
        return writer.submitIfRoom(stores(project, accepted)).thenApply(counts -> {
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
        Optional<QueueFull> full = queueRoom.full(project.id());
        if (full.isPresent()) return CompletableFuture.failedFuture(full.get());
        List<Accepted> accepted = withIds(outgoing);
        long now = clock.millis();
        long forgetBefore = now - KEY_LIFETIME.toMillis();
        List<Write> writes = new ArrayList<>(2);
        writes.add(new Write.InsertOnce(keyOf.apply(accepted), forgetBefore, stores(project, accepted)));
        long last = keysForgottenAt.get();
        if (now - last > KEY_SWEEP.toMillis() && keysForgottenAt.compareAndSet(last, now)) {
            writes.add(new Write.ForgetKeys(forgetBefore));
        }
        return writer.submitIfRoom(writes).thenApply(counts -> {
            if (counts[0] == 0) return Optional.<List<Accepted>>empty();
            queue(accepted);
            return Optional.of(accepted);
        });
    }

    private List<Accepted> withIds(List<OutgoingMessage> outgoing) {
        List<Accepted> accepted = new ArrayList<>(outgoing.size());
        for (OutgoingMessage message : outgoing) accepted.add(new Accepted(ids.next(), message));
        return accepted;
    }

    /** The writes that store the messages: each one and, in a cluster, its handoff to the node that runs its shard. */
    private List<Write> stores(Project project, List<Accepted> accepted) {
        List<Write> writes = new ArrayList<>(accepted.size() * (settings.clustered() ? 2 : 1));
        for (Accepted a : accepted) {
            MessageRecord record = record(project, a.id(), a.message());
            writes.add(new Write.InsertMessage(record));
            if (settings.clustered()) writes.add(handoff(record));
        }
        return writes;
    }

    /** Puts stored messages in line here; in a cluster the shards' owners take them from the handoffs instead. */
    private void queue(List<Accepted> accepted) {
        for (Accepted a : accepted) numberCounters(a.message().from()).accepted(1);
        if (settings.clustered()) return;
        for (Accepted a : accepted) queue(a, false);
    }

    /** What a cancellation came to. */
    public enum Cancellation {
        CANCELLED,
        /** In flight, sent, final already, or an instant reply. */
        TOO_LATE,
        /** Its shard runs on another node of the cluster, which alone can take it out of line. */
        ELSEWHERE
    }

    /**
     * Cancels an outgoing message that still waits on this node (queued or scheduled, never handed to the network):
     * it becomes {@code cancelled}, with an event. Otherwise nothing changes. The future fails when the store did not
     * take the change; then the message is back in line.
     */
    public CompletableFuture<Cancellation> cancel(MessageRecord message) {
        NumberLine line = lines.get(message.number());
        if (line == null || message.direction() != Direction.OUT || message.status() != MessageStatus.QUEUED) {
            return CompletableFuture.completedFuture(Cancellation.TOO_LATE);
        }
        ShardWorker worker = line.shards().get(message.shard());
        if (worker == null) return CompletableFuture.completedFuture(Cancellation.ELSEWHERE);
        if (!worker.withdraw(message.id(), message.priority())) {
            return CompletableFuture.completedFuture(Cancellation.TOO_LATE);
        }
        Project project = projects.getOrDefault(message.projectId(), line.project());
        long now = clock.millis();
        EventRecord event = project.wantsEvents() ? new EventRecord(ids.next(), project.id(), message.id(),
                message.number(), message.peer(), MessageStatus.CANCELLED, null, now) : null;
        CompletableFuture<int[]> written = writer.submit(new Write.ChangeStatus(message.id(), message.number(),
                MessageStatus.CANCELLED, now,
                null, null, event));
        written.whenComplete((counts, failure) -> {
            if (failure != null) {
                SendOptions o = message.options();
                worker.enqueueStored(new Messages.QueuedRef(message.id(), message.shard(), message.priority(),
                        message.peer(), o.notBefore(), o.expiresAt()));
            }
        });
        return written.thenApply(counts -> {
            if (counts[0] == 0) return Cancellation.TOO_LATE;
            numberCounters(message.number()).status(MessageStatus.CANCELLED);
            if (event != null) deliveries.event(project, event, message.shard());
            return Cancellation.CANCELLED;
        });
    }

    /**
     * Puts an accepted message in its shard's outbox here, or, when this node does not run the shard (any more, or
     * is not sure of its lease), hands it off through the store to the node that does.
     */
    private void queue(Accepted a, boolean instant) {
        NumberLine line = lineOf(a.message());
        ShardWorker worker = acting(line, line.shardOf(a.message().to()));
        boolean queued = worker != null && (instant ? worker.enqueueInstant(entry(a)) : place(worker, a));
        if (!queued && settings.clustered()) { // a single node reads every queued message back when it starts again
            writer.submit(new Write.Handoff(a.id(), a.message().from(), line.shardOf(a.message().to()),
                    a.message().priority().rank()));
        }
    }

    /** Into the outbox, or beside it until its time. */
    private boolean place(ShardWorker worker, Accepted a) {
        OutgoingMessage m = a.message();
        if (!m.options().scheduledAfter(clock.millis())) return worker.enqueue(entry(a));
        return worker.schedule(a.id(), new ShardWorker.Timed(m.priority(), m.to(), m.options().expiresAt()),
                m.options().notBefore());
    }

    /**
     * Tells the network the business read an incoming message, through its shard's worker (a read report's token),
     * and with {@code typing} that a reply is being written. False when the message is not an incoming one from the
     * network, or another node runs its shard.
     */
    public boolean markRead(MessageRecord message, boolean typing) {
        NumberLine line = lines.get(message.number());
        if (line == null || message.direction() != Direction.IN || message.networkId() == null) return false;
        ShardWorker worker = line.shards().get(message.shard());
        return worker != null && worker.markRead(new ShardWorker.ReadMark(message.networkId(), typing));
    }

    private static Write.Handoff handoff(MessageRecord record) {
        return new Write.Handoff(record.id(), record.number(), record.shard(), record.priority().rank());
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
            long id = ids.next();
            accepted.add(new Accepted(id, reply));
            writes.add(new Write.InsertMessage(record(project, id, reply)));
        }
        List<Write.InsertMessage> failures = new ArrayList<>(rejected.size());
        for (RejectedReply reply : rejected) {
            Write.InsertMessage failed = failedReply(project, reply);
            writes.add(failed);
            if (failed.event() != null) failures.add(failed);
        }
        writes.add(alsoCommit);
        return writer.submit(writes).thenApply(counts -> {
            for (Accepted a : accepted) numberCounters(a.message().from()).accepted(1);
            for (RejectedReply reply : rejected) numberCounters(reply.from()).failedAtOnce(1);
            for (Accepted a : accepted) queue(a, true);
            for (Write.InsertMessage failed : failures) deliveries.event(project, failed.event(), failed.message().shard());
            return accepted;
        });
    }

    /** A reply that was never sendable: stored as failed at once, its JSON kept (sealed) for the customer to see. */
    private Write.InsertMessage failedReply(Project project, RejectedReply reply) {
        NumberLine line = lines.get(reply.from());
        long id = ids.next();
        long now = clock.millis();
        int shard = line.shardOf(reply.to());
        MessageRecord record = new MessageRecord(id, project.id(), reply.from(), Direction.OUT, reply.to(), shard,
                Priority.URGENT, REJECTED_TYPE, line.key().seal(id, reply.json()), MessageStatus.FAILED, null,
                reply.reason(), false, new MessageRecord.Times(now, null, null, null, now));
        EventRecord event = project.wantsEvents() ? new EventRecord(ids.next(), project.id(), id, reply.from(),
                reply.to(), MessageStatus.FAILED, reply.reason(), now) : null;
        return new Write.InsertMessage(record, event);
    }

    private MessageRecord record(Project project, long id, OutgoingMessage message) {
        NumberLine line = lineOf(message);
        int shard = line.shardOf(message.to());
        byte[] callback = message.callback() == null ? null : line.key().sealCallback(id, message.callback());
        return new MessageRecord(id, project.id(), message.from(), Direction.OUT, message.to(), shard,
                message.priority(), message.type(), line.key().seal(id, message.payload()), MessageStatus.QUEUED, null,
                null, false, MessageRecord.Times.createdAt(clock.millis()), message.options(), callback);
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
        for (NumberLine line : lines.values()) line.shards().running().forEach(ShardWorker::close);
        lines.clear();
    }
}
