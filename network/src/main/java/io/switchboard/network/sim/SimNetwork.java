package io.switchboard.network.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.groups.GroupLimits;
import io.switchboard.network.protocol.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated WhatsApp end: accepts node links, plays the users who receive, deliver, read and reply, generates
 * inbound traffic, applies credit-based flow control and epoch fencing, and counts everything.
 */
public final class SimNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimNetwork.class);
    private static final Pattern E164 = Pattern.compile("\\+[0-9]{8,15}");
    static final long FENCE_LINGER_MILLIS = 1_000;
    private static final int INBOX_LIMIT = 100_000;
    private static final long TICK_MILLIS = 10;
    private static final int SALT_FAIL = 1, SALT_READ = 2, SALT_REPLY = 3;
    /** How long WhatsApp shows a typing indicator that no reply ends. */
    static final Duration TYPING_SHOWN = Duration.ofSeconds(25);

    private final SimConfig config;
    private final Counters global = new Counters();
    private final ConcurrentHashMap<String, NumberState> numbers = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final List<String> users;
    private final ScheduledThreadPoolExecutor timers;
    private final ServerSocket server;
    private final StatsServer http;
    private final ObjectMapper json = new ObjectMapper();
    /** The largest file {@link #injectMedia} carries: its base64 and the rest of the JSON fit in 64 KiB. */
    public static final int MAX_INLINE_MEDIA_BYTES = 45_000;
    /** Meta's error object for a message that could not be delivered, as its failed status carries it. */
    static final String UNREACHABLE_DETAILS = "{\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\","
            + "\"message\":\"Message undeliverable\",\"error_data\":{\"details\":\"the user's phone could not be reached\"}}]}";
    private final SimGroups groups;
    private final AtomicLong inboundIds = new AtomicLong();
    private final AtomicLong sendsTaken = new AtomicLong();
    /** The network ids of incoming messages the business marked read, in the order the marks came. */
    private final Set<String> markedRead = ConcurrentHashMap.newKeySet();
    /** Until when (epoch ms) a user sees a number typing, by "number user": set by a read mark, ended by a reply. */
    private final ConcurrentHashMap<String, Long> typingUntil = new ConcurrentHashMap<>();
    private volatile double inboundRate;
    private volatile boolean closed;
    private long lastTickNanos = System.nanoTime();

    private record Arrival(String user, UserMessage message) {}

    private final ArrayDeque<Arrival> inbox = new ArrayDeque<>();
    private final Map<String, ArrayDeque<UserMessage>> inboxByUser = new HashMap<>();

    private SimNetwork(SimConfig config) throws IOException {
        this.config = config;
        this.users = population(config.seed(), config.users());
        this.inboundRate = config.inboundRatePerNumber();
        this.groups = new SimGroups(config.seed());
        this.timers = new ScheduledThreadPoolExecutor(2, Thread.ofPlatform().daemon().name("sim-timer-", 0).factory());
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(config.port()), 1024);
        try {
            this.http = new StatsServer(this, config.statsPort());
        } catch (IOException e) {
            server.close();
            throw e;
        }
        timers.scheduleAtFixedRate(this::generateInbound, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        Thread.ofPlatform().daemon().name("sim-accept").start(this::acceptLoop);
    }

    /** Binds the ports and starts serving; the caller must {@link #close()} it. */
    public static SimNetwork start(SimConfig config) throws IOException {
        SimNetwork network = new SimNetwork(config);
        log.info("simulated network on port {} (stats on {}), {} users, seed {}", network.port(), network.statsPort(),
                config.users(), config.seed());
        return network;
    }

    public int port() {
        return server.getLocalPort();
    }

    public int statsPort() {
        return http.port();
    }

    public SimConfig config() {
        return config;
    }

    /** The simulated user population, deterministic from the seed. */
    public List<String> users() {
        return users;
    }

    public SimStats stats() {
        Map<String, Long> totals = global.snapshot();
        Map<String, Map<String, Long>> perNumber = new TreeMap<>();
        long queued = 0, inFlight = 0;
        for (NumberState ns : numbers.values()) {
            long[] gauges = ns.gauges();
            queued += gauges[0];
            inFlight += gauges[1];
            Map<String, Long> m = ns.counters.snapshot();
            m.put("queued", gauges[0]);
            m.put("in_flight", gauges[1]);
            perNumber.put(ns.number, m);
        }
        totals.put("queued", queued);
        totals.put("in_flight", inFlight);
        return new SimStats(totals, perNumber);
    }

    /**
     * What {@code user} received, in the order the network took the messages from the gateway (only the last
     * {@value #INBOX_LIMIT} messages overall are kept). Deliveries run on two timer threads, so two messages sent a
     * moment apart may be delivered the other way round; this order is the gateway's.
     */
    public List<UserMessage> received(String user) {
        synchronized (inbox) {
            ArrayDeque<UserMessage> messages = inboxByUser.get(user);
            if (messages == null) return List.of();
            List<UserMessage> inOrder = new java.util.ArrayList<>(messages);
            inOrder.sort(java.util.Comparator.comparingLong(UserMessage::takenSeq));
            return inOrder;
        }
    }

    /** The members of the number's group, as the network keeps them; empty when the number has no such group. */
    public List<String> groupMembers(String number, String groupId) {
        List<String> members = groups.members(number, groupId);
        return members == null ? List.of() : members;
    }

    /** Queues an inbound text from {@code from} to {@code number}; false if that shard's queue is full. */
    public boolean inject(String number, String from, String text) {
        if (number == null || number.isBlank() || from == null || from.isBlank() || text == null) {
            throw new IllegalArgumentException("number, from and text are required");
        }
        NumberState ns = number(number);
        ns.count(Counter.GENERATED);
        return offerInbound(ns, from, "text", textPayload(text), "");
    }

    /**
     * Queues an inbound media message ({@code image}, {@code video}, ...) from {@code from}: the file travels inline,
     * as {@code {"mime_type","data":"<base64>","caption"?}}, where WhatsApp would hand over a media id to download.
     * A frame's strings hold at most 64 KiB, so the simulated network's media is at most
     * {@value #MAX_INLINE_MEDIA_BYTES} bytes. False if that shard's queue is full.
     */
    public boolean injectMedia(String number, String from, String type, String mimeType, byte[] bytes, String caption) {
        if (bytes.length > MAX_INLINE_MEDIA_BYTES) {
            throw new IllegalArgumentException("the simulated network carries media of up to " + MAX_INLINE_MEDIA_BYTES
                    + " bytes, got " + bytes.length);
        }
        Map<String, String> media = new java.util.LinkedHashMap<>();
        media.put("mime_type", mimeType);
        media.put("data", java.util.Base64.getEncoder().encodeToString(bytes));
        if (caption != null) media.put("caption", caption);
        NumberState ns = number(number);
        ns.count(Counter.GENERATED);
        return offerInbound(ns, from, type, json(media), "");
    }

    /** Changes the generated inbound rate (messages/s per logged-in number) at run time. */
    public void setInboundRate(double perNumber) {
        if (!(perNumber >= 0)) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        inboundRate = perNumber;
    }

    public double inboundRate() {
        return inboundRate;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        http.close();
        timers.shutdownNow();
        for (Connection c : List.copyOf(connections)) {
            c.close();
        }
    }

    // ---- called by connections ----

    NumberState number(String number) {
        return numbers.computeIfAbsent(number,
                n -> new NumberState(n, global, config.queueLimit(), mix(config.seed() ^ mix(n.hashCode()))));
    }

    String login(Connection c, Frame.Login login) {
        if (login.number().isBlank() || login.shardCount() < 1 || login.shard() < 0
                || login.shard() >= login.shardCount() || login.window() < 1) {
            return "invalid login";
        }
        return number(login.number()).login(c, login);
    }

    void forget(Connection c) {
        connections.remove(c);
    }

    void afterMillis(long millis, Runnable task) {
        try {
            timers.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("simulated network task failed", e);
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    void onGroup(Connection c, NumberState ns, Frame.Group call) {
        c.enqueue(groups.apply(ns.number, call));
    }

    /**
     * {@code deliveryReports}: what the sending link asked for at login; it decides this message's reports (not those
     * of a message to a group, which every member reports).
     */
    void onSend(Connection c, NumberState ns, Frame.Send send, boolean deliveryReports) {
        ns.count(Counter.RECEIVED);
        List<String> members = GroupLimits.isGroupId(send.to()) ? groups.members(ns.number, send.to()) : null;
        if (GroupLimits.isGroupId(send.to()) && members == null) {
            c.enqueue(new Frame.SendRejected(send.id(), "unknown_group", "the number has no group " + send.to()));
            return;
        }
        if (members == null && !E164.matcher(send.to()).matches()) {
            c.enqueue(new Frame.SendRejected(send.id(), "invalid_recipient", "recipient must be '+' and 8-15 digits"));
            return;
        }
        String networkMessageId = "wamid." + ns.number.substring(1) + "." + send.id();
        // A duplicate is taken again (the node needs its SENT) but not delivered again.
        boolean first = ns.firstSend(send.id());
        if (!first) {
            ns.count(Counter.DUPLICATES);
        }
        long taken = sendsTaken.incrementAndGet();
        afterMillis(config.ackMillis(), () -> {
            ns.count(Counter.SENT_ACKS);
            c.enqueue(new Frame.Sent(send.id(), networkMessageId, System.currentTimeMillis()));
            if (first && members != null) {
                afterMillis(config.deliverMillis(), () -> deliverToGroup(ns, send, networkMessageId, members, taken));
            } else if (first) {
                afterMillis(config.deliverMillis(), () -> deliver(ns, send, networkMessageId, deliveryReports, taken));
            }
        });
    }

    /**
     * The business read a message its user wrote: the user would see blue ticks, and with {@code typing} the business
     * typing, as WhatsApp shows it: until the reply, or {@link #TYPING_SHOWN} at most.
     */
    void onMarkRead(NumberState ns, String networkId, boolean typing) {
        ns.count(Counter.MARKED_READ);
        markedRead.add(networkId);
        if (typing) {
            String shownTo = ns.number + " " + inboundSender(networkId);
            long until = System.currentTimeMillis() + TYPING_SHOWN.toMillis();
            typingUntil.put(shownTo, until);
            afterMillis(TYPING_SHOWN.toMillis(), () -> typingUntil.remove(shownTo, until));
        }
    }

    /** Whether {@code user} sees {@code number} typing now. */
    public boolean typingShown(String number, String user) {
        Long until = typingUntil.get(number + " " + user);
        return until != null && until > System.currentTimeMillis();
    }

    /** Whether the business marked the incoming message with this network id read. */
    public boolean markedRead(String networkId) {
        return markedRead.contains(networkId);
    }

    // ---- the users ----

    private void deliver(NumberState ns, Frame.Send send, String networkMessageId, boolean deliveryReport, long taken) {
        long id = send.id();
        String to = send.to();
        if (chance(id, to, SALT_FAIL) < config.failProbability()) {
            ns.count(Counter.FAILED);
            offerStatus(ns, send, Frame.STATUS_FAILED, "user_unreachable", UNREACHABLE_DETAILS);
            return;
        }
        ns.count(Counter.DELIVERED);
        typingUntil.remove(ns.number + " " + to);
        long now = System.currentTimeMillis();
        remember(to, new UserMessage(id, networkMessageId, ns.number, send.messageType(), send.payload(), now, taken,
                send.context()));
        if (deliveryReport) {
            ns.count(Counter.DELIVERY_REPORTS);
            offerStatus(ns, send, Frame.STATUS_DELIVERED, "", priced(ns.number, send));
        }
        if (chance(id, to, SALT_READ) < config.readProbability()) {
            afterMillis(config.readMillis(), () -> {
                ns.count(Counter.READ);
                offerStatus(ns, send, Frame.STATUS_READ, "", priced(ns.number, send));
            });
        }
        if (chance(id, to, SALT_REPLY) < config.replyProbability()) {
            afterMillis(config.replyMillis(), () -> {
                ns.count(Counter.REPLIES);
                String body = textBody(send);
                offerInbound(ns, to, "text", textPayload("re: " + body.substring(0, Math.min(40, body.length()))),
                        networkMessageId);
            });
        }
    }

    /**
     * Fans a group message out to the members the group had when it was taken: each member that gets it reports
     * delivered, whatever the link asked for (a group's delivery reports cannot be switched off), and may read it.
     * The reports go to the shard of the group, the one that sent the message.
     */
    private void deliverToGroup(NumberState ns, Frame.Send send, String networkMessageId, List<String> members,
                                long taken) {
        long id = send.id();
        String group = send.to();
        for (String member : members) {
            if (chance(id, member, SALT_FAIL) < config.failProbability()) {
                ns.count(Counter.FAILED);
                offerGroupStatus(ns, send, member, Frame.STATUS_FAILED, "user_unreachable");
                continue;
            }
            ns.count(Counter.DELIVERED);
            remember(member, new UserMessage(id, networkMessageId, group, send.messageType(), send.payload(),
                    System.currentTimeMillis(), taken, send.context()));
            ns.count(Counter.DELIVERY_REPORTS);
            offerGroupStatus(ns, send, member, Frame.STATUS_DELIVERED, "");
            if (chance(id, member, SALT_READ) < config.readProbability()) {
                afterMillis(config.readMillis(), () -> {
                    ns.count(Counter.READ);
                    offerGroupStatus(ns, send, member, Frame.STATUS_READ, "");
                });
            }
        }
    }

    private void offerGroupStatus(NumberState ns, Frame.Send send, String member, byte status, String error) {
        long now = System.currentTimeMillis();
        ns.offer(send.to(), seq -> new Frame.Status(seq, send.id(), member, status, now, error, send.to(), ""));
    }

    private void offerStatus(NumberState ns, Frame.Send send, byte status, String error, String details) {
        long now = System.currentTimeMillis();
        ns.offer(send.to(), seq -> new Frame.Status(seq, send.id(), send.to(), status, now, error, "", details));
    }

    /**
     * The conversation and pricing Meta tells with a delivered or read status: per message since July 2025 ("PMP"); a
     * template is priced as marketing, anything else is a free service message (the simulated users always write
     * first, so it falls in their 24-hour window). The conversation's id is one per (number, user).
     */
    private static String priced(String number, Frame.Send send) {
        boolean template = "template".equals(send.messageType());
        String category = template ? "marketing" : "service";
        String conversation = Long.toHexString(mix(number.hashCode() ^ ((long) send.to().hashCode() << 32)));
        return "{\"conversation\":{\"id\":\"" + conversation + "\",\"origin\":{\"type\":\"" + category + "\"}},"
                + "\"pricing\":{\"billable\":" + template + ",\"pricing_model\":\"PMP\",\"type\":\""
                + (template ? "regular" : "free_customer_service") + "\",\"category\":\"" + category + "\"}}";
    }

    private boolean offerInbound(NumberState ns, String from, String type, String payload, String context) {
        long now = System.currentTimeMillis();
        String networkId = "wamid.in." + inboundIds.incrementAndGet() + "." + from.substring(1);
        return ns.offer(from, seq -> new Frame.Inbound(seq, networkId, from, profileName(from), type, payload, now,
                context));
    }

    /** The user who sent the incoming message {@code networkId} (its last part, as {@link #offerInbound} made it). */
    private static String inboundSender(String networkId) {
        return "+" + networkId.substring(networkId.lastIndexOf('.') + 1);
    }

    private void remember(String user, UserMessage message) {
        synchronized (inbox) {
            inbox.addLast(new Arrival(user, message));
            inboxByUser.computeIfAbsent(user, u -> new ArrayDeque<>()).addLast(message);
            if (inbox.size() > INBOX_LIMIT) {
                Arrival oldest = inbox.removeFirst();
                ArrayDeque<UserMessage> list = inboxByUser.get(oldest.user());
                list.removeFirst();
                if (list.isEmpty()) {
                    inboxByUser.remove(oldest.user());
                }
            }
        }
    }

    /** Runs every tick: each logged-in number gets rate * elapsed messages from random users. */
    private void generateInbound() {
        try {
            long now = System.nanoTime();
            double seconds = (now - lastTickNanos) / 1e9;
            lastTickNanos = now;
            double rate = inboundRate;
            if (rate <= 0) {
                return;
            }
            for (NumberState ns : numbers.values()) {
                if (!ns.live()) {
                    ns.generatorCredit = 0;
                    continue;
                }
                // Capped at one second's worth so a stalled timer does not cause a burst.
                ns.generatorCredit = Math.min(ns.generatorCredit + rate * seconds, Math.max(1, rate));
                int n = (int) ns.generatorCredit;
                ns.generatorCredit -= n;
                for (int i = 0; i < n; i++) {
                    String from = users.get(ns.generatorRandom.nextInt(users.size()));
                    ns.count(Counter.GENERATED);
                    offerInbound(ns, from, "text", textPayload("hello "
                            + Integer.toString(ns.generatorRandom.nextInt(1 << 30), 36)), "");
                }
            }
        } catch (RuntimeException e) {
            log.warn("inbound generation failed", e);
        }
    }

    /** A uniform [0, 1) decision for (seed, message, recipient), independent per salt and of any shared Random. */
    private double chance(long messageId, String recipient, int salt) {
        long h = mix(config.seed() ^ mix(messageId ^ mix(recipient.hashCode() + ((long) salt << 32))));
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private String textBody(Frame.Send send) {
        if ("text".equals(send.messageType())) {
            try {
                JsonNode body = json.readTree(send.payload()).get("body");
                if (body != null && body.isTextual()) {
                    return body.asText();
                }
            } catch (IOException e) {
                // not JSON: echo it raw
            }
            return send.payload();
        }
        return "[" + send.messageType() + "]";
    }

    private String textPayload(String text) {
        return json(Map.of("body", text));
    }

    private String json(Map<String, String> object) {
        try {
            return json.writeValueAsString(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String profileName(String user) {
        return "User " + user.substring(Math.max(0, user.length() - 4));
    }

    private static List<String> population(long seed, int count) {
        Random random = new Random(seed);
        Set<String> numbers = new LinkedHashSet<>();
        while (numbers.size() < count) {
            numbers.add("+1555" + String.format("%07d", random.nextInt(10_000_000)));
        }
        return List.copyOf(new ArrayList<>(numbers));
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Connection c = new Connection(this, socket);
                connections.add(c);
                c.start();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("accept failed", e);
                }
            }
        }
    }
}
