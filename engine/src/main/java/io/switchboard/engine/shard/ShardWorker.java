package io.switchboard.engine.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.Deliveries;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.budget.TpsBudget;
import io.switchboard.engine.media.IncomingMedia;
import io.switchboard.engine.media.MediaLinks;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.outbox.Outbox;
import io.switchboard.engine.outbox.OutboxEntry;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.InboundMessage;
import io.switchboard.network.LinkTarget;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.network.groups.GroupCommand;
import io.switchboard.network.groups.GroupInfo;
import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Messages;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import io.switchboard.store.SendOptions;
import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.ids.NodeIds;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one (number, shard): its link to the network, its outbox and its share of the TPS budget.
 *
 * <p>Design: one pump thread spends the budget. It waits until there is work and a connection, takes a token, and
 * only then chooses what the token pays for, so a message that arrived while it waited is weighed fairly:
 * instant replies first, then read marks (the business read a user's message: a read report the other way); then
 * incoming items (messages and reports, which the network holds for us only in a
 * bounded queue that overflows into loss) over the campaign, except that every {@value #OUTBOX_SHARE}th token
 * goes to the outbox when both wait, so a flood of incoming traffic slows a campaign but never stops it. Each
 * send brings back up to three incoming items (delivered, read, a reply), so while more than
 * {@value #INCOMING_PRESSURE} incoming items wait, the campaign's share drops to one token in
 * {@value #OUTBOX_SHARE_UNDER_PRESSURE}: its own receipts must not push the backlog into the network's bounded
 * queue, where it would be lost.
 * Incoming items are acknowledged to the network, returning its credit, only after their write is durable.
 *
 * <p>Timed messages: a scheduled message waits beside the outbox until its time, then joins it; a message that
 * expires is taken out of line when its time passes (or found expired when its turn comes) and becomes
 * {@code expired} instead of going out late. A waiting message can also be withdrawn (a cancellation). Once the
 * pump has taken a message for the network it is past both, including one put back after a lost connection, which
 * the network may already have. The pump fires due timers whenever it looks for work, connected or not.
 *
 * <p>Throttling: when the network says the number is over its throughput (Meta's Cloud API does; see
 * {@link Throttle}), the messages it refused go back to the front of the outbox, the budget is cut and sending pauses
 * briefly; incoming items are still taken meanwhile.
 *
 * <p>Threads: the link's reader thread calls the listener methods and only enqueues or writes; the pump alone
 * polls the queues and sends. {@code lock} guards the three queues, the timed messages and {@code connected}.
 */
public final class ShardWorker implements ShardLinkListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardWorker.class);
    private static final int OUTBOX_SHARE = 4;
    private static final int OUTBOX_SHARE_UNDER_PRESSURE = 20;
    private static final int INCOMING_PRESSURE = 200;
    private static final int SEND_WINDOW = 5_000;
    private static final int WRITE_BACKLOG_LIMIT = 20_000;
    /** Reads and writes the origins and reactions of incoming messages (thread-safe once configured). */
    private static final ObjectMapper ORIGIN_JSON = new ObjectMapper();
    private static final String REACTION = "reaction";

    /** Incoming traffic from the network waiting for a token: a message or a status report. */
    private sealed interface Incoming {
        long seq();
    }

    private record IncomingMessage(long seq, InboundMessage message) implements Incoming {}

    private record Report(long seq, long messageId, String recipient, DeliveryStatus status, long at, String error,
                          String details) implements Incoming {}

    /** One member's report on a message sent to a group. */
    private record MemberReport(long seq, long messageId, String member, DeliveryStatus status, long at, String error)
            implements Incoming {}

    /** A time when a message is due: to join the outbox ({@code release}) or to expire. */
    private record Timer(long due, long id, boolean release) {}

    /** A message that waits for its time, or that expires, with what it needs then (expiresAt 0: never). */
    public record Timed(Priority priority, String to, long expiresAt) {}

    private final String number;
    private final int shard;
    /** Replaced when the project's settings change (its webhooks); read once per item. */
    private volatile Project project;
    /** Whether the number wants delivery reports: told to the network at login, and changed by a re-login. */
    private volatile boolean deliveryReports;
    private final DataKey key;
    private final TpsBudget budget;
    private final Throttle throttle;
    /** Which incoming messages also back up their sender as a contact (pump thread only). */
    private final ContactSightings sightings;
    private final WriteBatcher writer;
    private final NodeIds ids;
    private final Deliveries deliveries;
    private final Counters counters;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workOrConnection = lock.newCondition();
    private final Outbox outbox;
    private final ArrayDeque<OutboxEntry> instant = new ArrayDeque<>();
    private final ArrayDeque<Incoming> incoming = new ArrayDeque<>();
    /** Network ids of incoming messages the business read, to tell the network (each a read report's token). */
    private final ArrayDeque<ReadMark> readMarks = new ArrayDeque<>();
    private boolean connected;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::due));
    /** Scheduled messages not yet due, by id; a withdrawn one is removed here and its timer then finds nothing. */
    private final Map<Long, Timed> scheduled = new HashMap<>();
    /** Messages in the outbox that expire, by id, until the pump takes them or they expire. */
    private final Map<Long, Timed> expiring = new HashMap<>();
    /** Messages put back in the outbox after a lost connection: the network may have them. */
    private final Set<Long> handedOver = new HashSet<>();
    private volatile boolean running = true;
    /** Set while the shard winds down for a re-shard: nothing more is sent or taken, sent messages get their acks. */
    private volatile boolean draining;
    private int tokensSinceOutbox;

    /** Sent on the link, not yet acknowledged by the network: sent again, in order, after a reconnect. */
    private final ConcurrentHashMap<Long, OutboxEntry> inFlight = new ConcurrentHashMap<>();

    private ShardLink link;
    private final Thread pump;
    private final BooleanSupplier leaseValid;
    private final MediaLinks mediaLinks;
    private final IncomingMedia incomingMedia;
    private final java.util.function.Function<String, java.util.Optional<Long>> messageIds;
    /** How long the pump waits before it looks at an uncertain lease again. */
    private static final long LEASE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * {@code loader} reads queued messages back from the store when the outbox keeps only their ids;
     * {@code leaseValid} says whether this node may act for the shard now (always, on a single node; in a cluster,
     * while its lease is surely unexpired); {@code contactRefresh}: how long a contact seen again under the same name
     * waits before it is written again; {@code messageIds}: the number's message (our id) the network knows by a
     * network id, for the context of a user's reply.
     */
    public record Settings(String number, int shard, Project project, DataKey key, TpsBudget budget,
                           Outbox.Loader loader, BooleanSupplier leaseValid, MediaLinks mediaLinks,
                           IncomingMedia incomingMedia, java.time.Duration contactRefresh,
                           java.util.function.Function<String, java.util.Optional<Long>> messageIds) {}

    /** Queued messages whose body the outbox keeps in memory; beyond this it keeps ids and reads bodies back. */
    private static final int BODIES_IN_MEMORY = 20_000;

    public ShardWorker(Settings settings, WriteBatcher writer, NodeIds ids, Deliveries deliveries, Counters counters,
                       Clock clock) {
        this.number = settings.number();
        this.shard = settings.shard();
        this.project = settings.project();
        this.key = settings.key();
        this.budget = settings.budget();
        this.throttle = new Throttle(budget.tps());
        this.sightings = new ContactSightings(settings.contactRefresh());
        this.outbox = new Outbox(settings.loader(), BODIES_IN_MEMORY);
        this.writer = writer;
        this.ids = ids;
        this.deliveries = deliveries;
        this.counters = counters;
        this.clock = clock;
        this.leaseValid = settings.leaseValid();
        this.mediaLinks = settings.mediaLinks();
        this.incomingMedia = settings.incomingMedia();
        this.messageIds = settings.messageIds();
        this.pump = Thread.ofVirtual().name("pump-" + number + "-" + shard).unstarted(this::pump);
    }

    /** Connects through the factory and starts spending the budget. */
    public void start(BiFunction<LinkTarget, ShardLinkListener, ShardLink> links, LinkTarget target) {
        deliveryReports = target.deliveryReports();
        link = links.apply(target, this);
        pump.start();
    }

    /** Queues a message; false when the worker has stopped (then the message must go another way). */
    public boolean enqueue(OutboxEntry entry) {
        return addAndSignal(() -> {
            outbox.add(entry);
            trackExpiry(entry.id(), new Timed(entry.priority(), entry.to(), entry.expiresAt()));
        });
    }

    /**
     * A message to send no earlier than {@code notBefore} (epoch ms); it waits beside the outbox until then. False
     * when the worker has stopped.
     */
    public boolean schedule(long id, Timed timed, long notBefore) {
        return addAndSignal(() -> {
            scheduled.put(id, timed);
            timers.add(new Timer(notBefore, id, true));
        });
    }

    /**
     * A message already in the store, queued by id (scheduled ones wait for their time): its body is read back when
     * its turn comes. False when the worker has stopped.
     */
    public boolean enqueueStored(Messages.QueuedRef ref) {
        Timed timed = new Timed(ref.priority(), ref.peer(), ref.expiresAt());
        if (ref.notBefore() > clock.millis()) return schedule(ref.id(), timed, ref.notBefore());
        return addAndSignal(() -> {
            outbox.addStored(ref.id(), ref.priority());
            trackExpiry(ref.id(), timed);
        });
    }

    /**
     * Takes a message out of line if it still waits here (scheduled, or in the outbox and never handed to the
     * network), so it will not be sent: answers whether it did. A message the pump has taken (in flight, sent, an
     * instant reply) stays as it is.
     */
    public boolean withdraw(long id, Priority priority) {
        lock.lock();
        try {
            if (handedOver.contains(id)) return false;
            boolean wasScheduled = scheduled.remove(id) != null;
            expiring.remove(id);
            // Every copy in the outbox (a takeover can queue a message twice), not just the one an expiry would skip.
            return outbox.withdraw(id, priority) || wasScheduled;
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@code lock}: a message now in the outbox that expires gets its timer. */
    private void trackExpiry(long id, Timed timed) {
        if (timed.expiresAt() <= 0) return;
        expiring.put(id, timed);
        timers.add(new Timer(timed.expiresAt(), id, false));
    }

    /**
     * Called under {@code lock}: releases the scheduled messages that are due into the outbox and takes out of line
     * the ones that expired. Answers the milliseconds until the next timer.
     */
    private long fireTimers() {
        long now = clock.millis();
        Timer next;
        while ((next = timers.peek()) != null && next.due() <= now) {
            timers.poll();
            if (next.release()) {
                Timed timed = scheduled.remove(next.id());
                if (timed == null) continue; // withdrawn
                outbox.addStored(next.id(), timed.priority());
                trackExpiry(next.id(), timed);
            } else {
                Timed timed = expiring.remove(next.id());
                if (timed == null) continue; // taken by the pump, or withdrawn
                outbox.skip(next.id(), timed.priority());
                expire(next.id(), timed.to(), timed.expiresAt());
            }
        }
        return next == null ? Long.MAX_VALUE : next.due() - now;
    }

    /** Records that the message expired before it could go: a final status and, if wanted, an event. */
    private void expire(long id, String to, long at) {
        changeStatus(id, to, MessageStatus.EXPIRED, at, null, null);
    }

    /** An instant reply: ahead of every queue, but still paid for from the budget. */
    public boolean enqueueInstant(OutboxEntry entry) {
        return addAndSignal(() -> instant.addLast(entry));
    }

    /**
     * Tells the network the business read the incoming message {@code networkId}, paid from the budget as a read
     * report. Kept in memory only, like Meta's own read marks: one lost in a crash is just a later blue tick.
     * False when the worker has stopped.
     */
    public boolean markRead(ReadMark mark) {
        return addAndSignal(() -> readMarks.addLast(mark));
    }

    /** A read mark of the incoming message {@code networkId}; {@code typing}: with a typing indicator. */
    public record ReadMark(String networkId, boolean typing) {}

    /** Adds work under the lock and wakes the pump; false (nothing added) once the worker has stopped. */
    private boolean addAndSignal(Runnable add) {
        lock.lock();
        try {
            if (!running) return false;
            add.run();
            workOrConnection.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void project(Project project) {
        this.project = project;
    }

    /**
     * Turns delivery reports on or off: at once for the events this worker writes, and at the network by logging in
     * again. The re-login is a reconnect: messages the network has not acknowledged are sent again (the network takes
     * a repeated id as a duplicate and does not deliver it twice), and reports it handed over but we did not store
     * come again.
     */
    public void deliveryReports(boolean wanted) {
        if (deliveryReports == wanted) return;
        deliveryReports = wanted;
        link.relogin(wanted);
    }

    public TpsBudget budget() {
        return budget;
    }

    /** A new share of the number's TPS for this shard, from now on (it also ends a throttle's cut). */
    public void share(double tps) {
        throttle.configured(tps);
        budget.change(tps);
    }

    /** Queue depth per priority (instant replies count as urgent). */
    public int[] depths() {
        lock.lock();
        try {
            int[] depths = outbox.depths();
            depths[Priority.URGENT.rank()] += instant.size();
            return depths;
        } finally {
            lock.unlock();
        }
    }

    public int incomingWaiting() {
        lock.lock();
        try {
            return incoming.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the pump still spends the budget: started, not closed (nor fenced), and its thread alive. */
    public boolean running() {
        return running && pump.isAlive();
    }

    /** Whether it runs and its node is sure it still holds the shard's lease (always, on a single node). */
    public boolean mayAct() {
        return running() && leaseValid.getAsBoolean();
    }

    public int shard() {
        return shard;
    }

    public boolean connected() {
        lock.lock();
        try {
            return connected;
        } finally {
            lock.unlock();
        }
    }

    private void pump() {
        while (running) {
            try {
                awaitWorkAndConnection();
                if (!running) return;
                if (!leaseValid.getAsBoolean()) { // not sure the shard is still ours: act on nothing until we are
                    LockSupport.parkNanos(LEASE_RECHECK_NANOS);
                    continue;
                }
                throttle.recover(clock.millis(), budget.tps()).ifPresent(budget::change);
                if (spendFree()) continue;
                long wait;
                while ((wait = budget.tryTake()) > 0) LockSupport.parkNanos(wait);
                spend();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("shard {}/{}: {}", number, shard, e.toString(), e);
            }
        }
    }

    private void awaitWorkAndConnection() throws InterruptedException {
        lock.lock();
        try {
            while (running) {
                long untilTimer = fireTimers();
                boolean sending = !throttle.paused(clock.millis());
                boolean work = (sending && (outboxReady() || !instant.isEmpty())) || !readMarks.isEmpty() || !incoming.isEmpty();
                if (!draining && connected && work) return;
                // A full store queue signals nobody when it drains: look again soon.
                long wait = writer.backlog() >= WRITE_BACKLOG_LIMIT ? 10 : 1_000;
                if (!sending) wait = Math.min(wait, throttle.pausedUntil() - clock.millis());
                workOrConnection.await(Math.max(1, Math.min(wait, untilTimer)), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Spends one token on the most deserving item. */
    /**
     * Work the network does not count against the number's throughput (Meta's statuses and the read marks sent to
     * it), done without a token: a read mark, or the report at the head of the incoming queue. False when there is
     * none, or the network counts them.
     */
    private boolean spendFree() {
        if (link.reportsCountAsThroughput()) return false;
        ReadMark readMark = null;
        Incoming report = null;
        lock.lock();
        try {
            if (!readMarks.isEmpty()) readMark = readMarks.pollFirst();
            else if (incoming.peekFirst() instanceof Report || incoming.peekFirst() instanceof MemberReport) {
                report = incoming.pollFirst();
            }
        } finally {
            lock.unlock();
        }
        if (readMark != null) markReadNow(readMark);
        else if (report != null) take(report);
        return readMark != null || report != null;
    }

    private void spend() {
        OutboxEntry send = null;
        Incoming item = null;
        ReadMark readMark = null;
        lock.lock();
        try {
            boolean sending = !throttle.paused(clock.millis());
            if (sending && !instant.isEmpty()) {
                send = instant.pollFirst();
            } else if (!readMarks.isEmpty()) {
                readMark = readMarks.pollFirst();
            } else if (!incoming.isEmpty() && (!sending || !outboxReady() || ++tokensSinceOutbox < outboxShare())) {
                item = incoming.pollFirst();
            } else if (sending && outboxReady()) {
                tokensSinceOutbox = 0;
                send = pollSendable();
            }
        } finally {
            lock.unlock();
        }
        if (send != null) send(send);
        else if (readMark != null) markReadNow(readMark);
        else if (item != null) take(item);
    }

    /**
     * The next message of the outbox that may still go; one that expired while it waited for its turn (its timer not
     * fired yet) expires here instead. Called under {@code lock}.
     */
    private OutboxEntry pollSendable() {
        OutboxEntry entry;
        while ((entry = outbox.poll()) != null) {
            boolean resend = !handedOver.isEmpty() && handedOver.remove(entry.id());
            if (!expiring.isEmpty()) expiring.remove(entry.id());
            if (resend || entry.expiresAt() <= 0 || entry.expiresAt() > clock.millis()) return entry;
            expire(entry.id(), entry.to(), entry.expiresAt());
        }
        return null;
    }

    /**
     * Whether the outbox may send now: it has messages, fewer than {@value #SEND_WINDOW} sent ones wait for the
     * network's ack, and the store keeps up with the status changes they bring. Without these bounds a drain of a
     * large backlog would pile frames and writes up in memory faster than the network and the store take them.
     * Called under {@code lock}.
     */
    private boolean outboxReady() {
        return !outbox.isEmpty() && inFlight.size() < SEND_WINDOW && writer.backlog() < WRITE_BACKLOG_LIMIT;
    }

    /** One token in this many goes to the outbox while incoming items wait too. Called under {@code lock}. */
    private int outboxShare() {
        return incoming.size() > INCOMING_PRESSURE ? OUTBOX_SHARE_UNDER_PRESSURE : OUTBOX_SHARE;
    }

    private void send(OutboxEntry entry) {
        if (!leaseValid.getAsBoolean()) { // the node froze between the pump's check and here: not ours to send now
            addAndSignal(() -> outbox.returnToFront(List.of(entry)));
            return;
        }
        if (!link.fetchesMediaLinks() && MediaLinks.linked(entry.type(), entry.payload())) {
            fetchThenSend(entry);
            return;
        }
        // Around a takeover a message can reach the outbox twice (read from the store, and handed off): send it once.
        if (inFlight.putIfAbsent(entry.id(), entry) != null) return;
        budget.record(Kind.SEND);
        link.send(entry.id(), entry.to(), entry.type(), entry.payload(), entry.replyTo() == null ? "" : entry.replyTo());
    }

    private void markReadNow(ReadMark mark) {
        if (!leaseValid.getAsBoolean()) { // as for a send: not ours to act for now
            addAndSignal(() -> readMarks.addFirst(mark));
            return;
        }
        if (link.reportsCountAsThroughput()) budget.record(Kind.READ_REPORT);
        link.markRead(mark.networkId(), mark.typing());
    }

    /**
     * A media message by link: its file is fetched and stored first, off the pump (which gives its token back), then
     * the message goes to the front of its queue with the stored media in place of the link. One whose file cannot
     * be had fails with Meta's media upload error. Meanwhile it is out of line: a cancellation comes too late. If
     * this worker stops meanwhile, the message is still queued in the store, and the shard's next worker fetches it.
     */
    private void fetchThenSend(OutboxEntry entry) {
        budget.refund();
        mediaLinks.fetch(project.id(), number, entry.type(), entry.payload()).whenComplete((payload, failure) -> {
            if (failure == null) {
                addAndSignal(() -> outbox.returnToFront(List.of(entry.withPayload(payload))));
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            String why = cause instanceof MediaLinks.MediaLinkFailed ? cause.getMessage() : cause.toString();
            LOG.info("shard {}/{}: message {} failed: its media link could not be fetched: {}", number, shard,
                    Ids.format(entry.id()), why);
            changeStatus(entry.id(), entry.to(), MessageStatus.FAILED, clock.millis(), null,
                    MediaLinks.UPLOAD_ERROR + ": the media could not be fetched from its link: " + why);
        });
    }

    private void take(Incoming item) {
        switch (item) {
            case IncomingMessage m -> takeMessage(m);
            case Report r -> takeReport(r);
            case MemberReport r -> takeMemberReport(r);
        }
    }

    private void takeMessage(IncomingMessage item) {
        budget.record(Kind.RECEIVE);
        Project project = this.project;
        InboundMessage in = item.message();
        long id = ids.next();
        // A media file is stored here, on the pump, before its message: the network carries small files only, and
        // the user's messages keep their order. Taken again after a reconnect, it is stored again (at least once).
        String payload = MediaTypes.isMedia(in.type())
                ? incomingMedia.receive(project.id(), number, in.type(), in.payload())
                : REACTION.equals(in.type()) ? reaction(in.payload()) : in.payload();
        String origin = origin(in);
        MessageRecord record = new MessageRecord(id, project.id(), number, Direction.IN, in.from(), shard,
                Priority.NORMAL, in.type(), key.seal(id, payload), MessageStatus.QUEUED, in.networkId(), null,
                project.webhookUrl() != null, MessageRecord.Times.createdAt(in.atMillis()), SendOptions.NONE, null,
                origin == null ? null : key.sealOrigin(id, origin));
        List<Write> writes = new ArrayList<>(2);
        writes.add(new Write.InsertMessage(record));
        // Backed up in the same commit, so a contact costs no commit of its own, and only when due.
        if (MessageRules.isE164(in.from()) && sightings.due(in.from(), in.profileName(), in.atMillis())) {
            byte[] name = in.profileName().isEmpty() ? null : key.sealContactName(number, in.from(), in.profileName());
            writes.add(new Write.SeenContact(number, project.id(), in.from(), name, in.atMillis()));
        }
        writer.submit(writes).whenComplete((counts, failure) -> {
            if (failure != null) return; // not acknowledged: the network hands it over again after a reconnect
            link.ack(item.seq());
            if (counts[0] == 1) {
                counters.received();
                if (record.hookPending()) deliveries.incoming(project, record, payload, origin);
            }
        });
    }

    /**
     * What the network said about the message besides its content, as the JSON object stored sealed beside it, or
     * null when it said nothing. A reply's context names the message by our id when it is one of the number's (one
     * indexed read, only for a reply), else as the network wrote it.
     */
    private String origin(InboundMessage in) {
        boolean named = in.profileName() != null && !in.profileName().isEmpty();
        if (!named && in.context() == null && in.referral() == null) return null;
        ObjectNode origin = ORIGIN_JSON.createObjectNode();
        if (named) origin.put("name", in.profileName());
        if (in.context() != null) {
            String networkId = in.context().networkId();
            origin.putObject("context").put("from", in.context().from())
                    .put("id", ourId(networkId).map(Ids::format).orElse(networkId));
        }
        if (in.referral() != null) {
            try {
                origin.set("referral", ORIGIN_JSON.readTree(in.referral()));
            } catch (java.io.IOException e) {
                LOG.debug("shard {}/{}: a referral that is not JSON dropped", number, shard);
            }
        }
        return origin.toString();
    }

    /**
     * A user's reaction names the message it reacts to as the network knows it: the bot gets our id of it, as for a
     * reply's context (the network's id when that message is not one of the number's).
     */
    private String reaction(String payload) {
        try {
            JsonNode reaction = ORIGIN_JSON.readTree(payload);
            String networkId = reaction.path("message_id").asText("");
            if (!(reaction instanceof ObjectNode object) || networkId.isEmpty()) return payload;
            return ourId(networkId).map(id -> object.put("message_id", Ids.format(id)).toString()).orElse(payload);
        } catch (java.io.IOException e) {
            return payload;
        }
    }

    /**
     * Our id of the number's message the network calls {@code networkId}; empty when there is none, and when the store
     * cannot say now: the message then names it as the network did rather than wait (or be lost) for a store read.
     */
    private java.util.Optional<Long> ourId(String networkId) {
        try {
            return messageIds.apply(networkId);
        } catch (RuntimeException e) {
            LOG.warn("shard {}/{}: the message {} replies to not looked up: {}", number, shard, networkId, e.toString());
            return java.util.Optional.empty();
        }
    }

    private void takeReport(Report report) {
        MessageStatus status = statusOf(report.status());
        payForReport(status);
        changeStatus(report.messageId(), report.recipient(), status, report.at(), null, report.error(), report.details())
                .whenComplete((applied, failure) -> {
                    if (failure == null) link.ack(report.seq());
                });
    }

    private void payForReport(MessageStatus status) {
        if (link.reportsCountAsThroughput()) budget.record(status == MessageStatus.READ ? Kind.READ_REPORT : Kind.DELIVERY_REPORT);
    }

    /**
     * A group member's report: paid for like any report, and always an event when the project has the Event Webhook
     * on, whatever the number's delivery reports switch says (a group's cannot be switched off).
     */
    private void takeMemberReport(MemberReport report) {
        MessageStatus status = statusOf(report.status());
        payForReport(status);
        Project project = this.project;
        EventRecord event = project.wantsEvents() ? new EventRecord(ids.next(), project.id(), report.messageId(), number,
                report.member(), status, report.error(), report.at()) : null;
        writer.submit(new Write.MemberStatus(report.messageId(), number, report.member(), status, report.at(), event))
                .whenComplete((counts, failure) -> {
                    if (failure != null) return; // not acknowledged: the network hands it over again
                    link.ack(report.seq());
                    if ((counts[0] & Write.MemberStatus.MEMBER_MOVED) != 0 && event != null) deliveries.event(project, event, shard);
                    if ((counts[0] & Write.MemberStatus.MESSAGE_MOVED) != 0) counters.status(status);
                });
    }

    private static MessageStatus statusOf(DeliveryStatus status) {
        return switch (status) {
            case DELIVERED -> MessageStatus.DELIVERED;
            case READ -> MessageStatus.READ;
            case FAILED -> MessageStatus.FAILED;
        };
    }

    /** Asks the network for a group operation over this shard's connection. */
    public java.util.concurrent.CompletableFuture<GroupInfo> group(GroupCommand command) {
        return link.group(command);
    }

    private java.util.concurrent.CompletableFuture<Boolean> changeStatus(long messageId, String recipient,
            MessageStatus status, long at, String networkId, String error) {
        return changeStatus(messageId, recipient, status, at, networkId, error, null);
    }

    /** {@code details}: what the network told with the status, for its event (JSON), or null. */
    private java.util.concurrent.CompletableFuture<Boolean> changeStatus(long messageId, String recipient,
            MessageStatus status, long at, String networkId, String error, String details) {
        Project project = this.project;
        // A delivered report that arrives anyway (sent before the re-login) still moves the status, quietly.
        // Groups' member reports do not pass here: takeMemberReport ignores this switch.
        boolean wanted = status != MessageStatus.DELIVERED || deliveryReports;
        EventRecord event = project.wantsEvents() && wanted
                ? new EventRecord(ids.next(), project.id(), messageId, number, recipient, status, error, at, details)
                : null;
        return writer.submit(new Write.ChangeStatus(messageId, number, status, at, networkId, error, event))
                .thenApply(counts -> {
                    boolean applied = counts[0] == 1;
                    if (applied) {
                        counters.status(status);
                        if (event != null) deliveries.event(project, event, shard);
                    }
                    return applied;
                });
    }

    // --- the link's reader thread ---

    @Override
    public void onConnected() {
        lock.lock();
        try {
            connected = true;
            if (!inFlight.isEmpty()) {
                List<OutboxEntry> unacknowledged = new ArrayList<>(inFlight.values());
                unacknowledged.sort(Comparator.comparingLong(OutboxEntry::id));
                inFlight.clear();
                for (OutboxEntry entry : unacknowledged) handedOver.add(entry.id());
                outbox.returnToFront(unacknowledged);
            }
            workOrConnection.signal();
        } finally {
            lock.unlock();
        }
        LOG.info("shard {}/{} connected", number, shard);
    }

    @Override
    public void onDisconnected(String reason) {
        lock.lock();
        try {
            connected = false;
            // The network hands unacknowledged items over again after the reconnect; ours would be stale twins.
            incoming.clear();
        } finally {
            lock.unlock();
        }
        LOG.warn("shard {}/{} disconnected: {}", number, shard, reason);
    }

    @Override
    public void onFenced(String reason) {
        LOG.warn("shard {}/{} fenced by a newer login: {}", number, shard, reason);
        close();
    }

    /** Wakes the pump when an ack reopens the send window it may be waiting on. */
    private void acked() {
        if (inFlight.size() != SEND_WINDOW - 1) return;
        lock.lock();
        try {
            workOrConnection.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onSent(long messageId, String networkMessageId, long atMillis) {
        OutboxEntry entry = inFlight.remove(messageId);
        acked();
        String recipient = entry != null ? entry.to() : "";
        changeStatus(messageId, recipient, MessageStatus.SENT, atMillis, networkMessageId, null);
    }

    @Override
    public void onSendRejected(long messageId, String code, String reason) {
        OutboxEntry entry = inFlight.remove(messageId);
        acked();
        String recipient = entry != null ? entry.to() : "";
        changeStatus(messageId, recipient, MessageStatus.FAILED, clock.millis(), null, code + ": " + reason);
    }

    @Override
    public void onThrottled(List<Long> messageIds) {
        double before = budget.tps();
        lock.lock();
        try {
            List<OutboxEntry> refused = new ArrayList<>(messageIds.size());
            for (long id : messageIds) {
                OutboxEntry entry = inFlight.remove(id);
                if (entry != null) refused.add(entry);
            }
            outbox.returnToFront(refused);
            double cut = throttle.throttled(clock.millis(), before);
            if (cut != before) budget.change(cut);
            workOrConnection.signal();
        } finally {
            lock.unlock();
        }
        if (budget.tps() != before) {
            LOG.info("shard {}/{}: the network says the number is over its throughput; budget {} -> {} TPS", number,
                    shard, before, budget.tps());
        }
    }

    @Override
    public void onStatus(long seq, long messageId, String recipient, DeliveryStatus status, long atMillis, String error,
                         String details) {
        addIncoming(new Report(seq, messageId, recipient, status, atMillis, error, details));
    }

    @Override
    public void onGroupStatus(long seq, long messageId, String group, String member, DeliveryStatus status,
                              long atMillis, String error) {
        addIncoming(new MemberReport(seq, messageId, member, status, atMillis, error));
    }

    @Override
    public void onInbound(long seq, InboundMessage message) {
        addIncoming(new IncomingMessage(seq, message));
    }

    private void addIncoming(Incoming item) {
        addAndSignal(() -> incoming.addLast(item));
    }

    /**
     * Stops sending (and taking): the first step of a drain, so that what is still queued can move to another shard
     * without a message being on two shards at once.
     */
    public void stopSending() {
        draining = true;
    }

    /** Waits until the network has acknowledged every message already sent, or {@link System#nanoTime} passes {@code deadline}. */
    public void awaitAcks(long deadline) throws InterruptedException {
        while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0) Thread.sleep(10);
    }

    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            workOrConnection.signalAll();
        } finally {
            lock.unlock();
        }
        if (link != null) link.close();
    }
}
