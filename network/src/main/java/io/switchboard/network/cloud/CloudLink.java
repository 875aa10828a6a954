package io.switchboard.network.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.InboundMessage;
import io.switchboard.network.ShardLink;
import io.switchboard.network.ShardLinkListener;
import io.switchboard.outbound.AnswerTooLarge;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShardLink} to Meta's Cloud API for one (number, shard): sends through the Graph API, and takes what Meta's
 * webhooks bring for the shard's users ({@link #received}, {@link #reported}) from the node's webhook route.
 *
 * <p>Design: each user has a lane, a queue of that user's messages sent one at a time, in order, by a virtual
 * thread of its own while the lane has messages; different users go in parallel, as many
 * calls at once as {@link AdaptiveLimit} allows. What Meta answers decides what happens to the head of a
 * lane ({@link GraphAnswer}): a 5xx, a timeout or Meta's own trouble is sent again (backoff from
 * {@link CloudLinks.Settings#retryFirst} doubling up to {@link CloudLinks.Settings#retryMax}, for as long as it
 * takes); the pair rate limit (131056) holds that lane only, 4 s, then 16 s, 64 s ... (4^n, reset by a success),
 * while other users' lanes go on; a throughput limit (130429) hands the message and everything behind it in its lane
 * back to the listener ({@link ShardLinkListener#onThrottled}), which slows the number down and sends them again
 * through its budget; a final error rejects the message with Meta's code. How many calls are under way at once adapts
 * to what Meta takes ({@link AdaptiveLimit}), up to {@link CloudLinks.Settings#concurrency}.
 *
 * <p>Incoming items get a sequence number each and a future that completes when the listener acknowledges the item
 * ({@link #ack}, once it is stored), so the webhook route answers Meta only once what it brought is durable.
 *
 * <p>Threads: lane threads and the webhook route's threads call the listener; {@code lanes} guards the lanes.
 */
public final class CloudLink implements ShardLink {
    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);
    private static final Duration PAIR_FIRST = Duration.ofSeconds(4);
    private static final Duration PAIR_MAX = Duration.ofMinutes(15);
    /** Meta's media upload error: what a media message whose file is gone fails with. */
    static final String UPLOAD_ERROR = "131053";
    /** How our Cloud API endpoint shows our message ids, as Meta shows its own. */
    private static final String WAMID_PREFIX = "wamid.";
    /** The most of a Graph API answer read: Meta's are a few hundred bytes; a larger one is a bad answer. */
    static final int MAX_ANSWER_BYTES = 1_048_576;
    /** How many wamids of recent sends are kept to find a status's message before the store has its wamid. */
    private static final int RECENT_SENDS = 100_000;

    private final CloudTarget target;
    private final ShardLinkListener listener;
    private final CloudLinks links;
    /** The number's messages by wamid in the store, for what {@code recent} no longer has, and back. */
    private final Wamids wamids;
    private final CloudMedia media;
    private final AdaptiveLimit requests;
    private final Map<String, ArrayDeque<Send>> lanes = new HashMap<>();
    private final Set<Thread> laneThreads = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> recent = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECENT_SENDS;
        }
    };
    private final AtomicLong seqs = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> unacked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Send(long messageId, String to, String type, String payload, String context) {}

    CloudLink(CloudTarget target, ShardLinkListener listener, CloudLinks links, Wamids wamids, NodeMedia files) {
        this.target = target;
        this.listener = listener;
        this.links = links;
        this.wamids = wamids;
        this.media = new CloudMedia(target, links, files);
        this.requests = new AdaptiveLimit(links.settings().concurrency());
    }

    public CloudTarget target() {
        return target;
    }

    /** Meta fetches a media message's link itself. */
    @Override
    public boolean fetchesMediaLinks() {
        return true;
    }

    /** Meta's throughput counts messages: its statuses and the business's read marks are free. */
    @Override
    public boolean reportsCountAsThroughput() {
        return false;
    }

    @Override
    public void send(long messageId, String to, String type, String payload, String context) {
        Send send = new Send(messageId, to, type, payload, context);
        synchronized (lanes) {
            ArrayDeque<Send> lane = lanes.computeIfAbsent(to, user -> new ArrayDeque<>());
            lane.addLast(send);
            if (lane.size() == 1) {
                laneThreads.add(Thread.ofVirtual().name("cloud-" + target.number() + "-" + target.shard())
                        .start(() -> runLane(to, lane)));
            }
        }
    }

    /**
     * The Graph API's send body: the message object as stored, named after its type (a file stored here by the id
     * Meta knows it by, uploaded first if need be), and the reply's context; the message a reply or a reaction names
     * by our id goes as the wamid Meta gave it.
     */
    private byte[] body(Send send) throws CloudMedia.Refused, IOException, TimeoutException, InterruptedException {
        ObjectMapper json = links.json();
        ObjectNode body = json.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", send.to());
        body.put("type", send.type());
        JsonNode object;
        try {
            object = json.readTree(send.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("message payload is not JSON", e);
        }
        if (CloudMedia.ours(send.type(), object)) object = media.forMeta((ObjectNode) object, System.currentTimeMillis());
        if (send.type().equals("reaction")) {
            ((ObjectNode) object).put("message_id", wamid(object.path("message_id").asText()));
        }
        body.set(send.type(), object);
        if (send.context() != null && !send.context().isEmpty()) {
            body.putObject("context").put("message_id", wamid(send.context()));
        }
        return json.writeValueAsBytes(body);
    }

    /** Meta's wamid of a message the bot named by our id (bare, or as {@code wamid.<id>}); any other id as written. */
    private String wamid(String named) {
        String ours = named.startsWith(WAMID_PREFIX) ? named.substring(WAMID_PREFIX.length()) : named;
        return wamids.of(ours).orElse(named);
    }

    /** Sends the lane's messages in order until it is empty (then it is gone) or throttled (then handed back). */
    private void runLane(String user, ArrayDeque<Send> lane) {
        CloudLinks.Settings settings = links.settings();
        int pairStrikes = 0;
        long retryDelay = settings.retryFirst().toMillis();
        try {
            while (!closed) {
                Send head;
                synchronized (lanes) {
                    head = lane.peekFirst();
                    if (head == null) {
                        lanes.remove(user);
                        return;
                    }
                }
                switch (deliver(head)) {
                    case GraphAnswer.Transient t -> {
                        LOG.debug("cloud {}/{}: message {} not taken ({}), again in {} ms", target.number(),
                                target.shard(), head.messageId(), t.why(), retryDelay);
                        Thread.sleep(retryDelay);
                        retryDelay = Math.min(retryDelay * 2, settings.retryMax().toMillis());
                        continue;
                    }
                    case GraphAnswer.PairLimited p -> {
                        Thread.sleep(pairDelay(++pairStrikes).toMillis());
                        continue;
                    }
                    case GraphAnswer.Throttled t -> {
                        handBack(user, lane);
                        return;
                    }
                    case GraphAnswer.Sent sent -> {
                        remember(sent.wamid(), head.messageId());
                        listener.onSent(head.messageId(), sent.wamid(), System.currentTimeMillis());
                    }
                    case GraphAnswer.Rejected rejected -> {
                        LOG.info("cloud {}/{}: message {} refused by Meta with code {}", target.number(),
                                target.shard(), head.messageId(), rejected.code());
                        listener.onSendRejected(head.messageId(), rejected.code(), rejected.reason());
                    }
                }
                pairStrikes = 0;
                retryDelay = settings.retryFirst().toMillis();
                synchronized (lanes) {
                    lane.pollFirst();
                }
            }
        } catch (InterruptedException e) {
            // closed: what is left stays in flight with the worker, which is closing too
        } finally {
            laneThreads.remove(Thread.currentThread());
        }
    }

    /** Hands the throttled head and everything behind it back to the listener, in order, and ends the lane. */
    private void handBack(String user, ArrayDeque<Send> lane) {
        List<Long> ids = new ArrayList<>();
        synchronized (lanes) {
            for (Send send : lane) ids.add(send.messageId());
            lanes.remove(user);
        }
        LOG.debug("cloud {}/{}: throttled by Meta, {} message(s) handed back", target.number(), target.shard(), ids.size());
        listener.onThrottled(ids);
    }

    static Duration pairDelay(int strikes) {
        long seconds = PAIR_FIRST.toSeconds();
        for (int i = 1; i < strikes && seconds < PAIR_MAX.toSeconds(); i++) seconds *= 4;
        return Duration.ofSeconds(Math.min(seconds, PAIR_MAX.toSeconds()));
    }

    /**
     * One attempt (with the upload of its file first, if it needs one); a connection that fails, is refused or times
     * out is transient like a 5xx; an answer too large to read is a bad answer; an upload Meta refused answers for the
     * message.
     */
    private GraphAnswer deliver(Send send) throws InterruptedException {
        long started = requests.acquire();
        GraphAnswer answer = null;
        try {
            OutboundHttp.Received received = links.http().exchange(post(body(send)), MAX_ANSWER_BYTES);
            answer = GraphAnswer.of(received.status(), received.body(), links.json());
        } catch (CloudMedia.Refused e) {
            answer = e.answer;
        } catch (AnswerTooLarge e) {
            answer = GraphAnswer.badAnswer(e.getMessage());
        } catch (IOException | TimeoutException | OutboundUrls.Refused e) {
            answer = new GraphAnswer.Transient(e.getClass().getSimpleName());
        } finally {
            requests.release(started, outcome(answer));
        }
        return answer;
    }

    /**
     * What an answer says about Meta's capacity: a send taken is OK; the throughput and pair rate limits, 5xx and
     * failed or timed-out calls are congestion; a final refusal (or none, when the call was interrupted) says nothing.
     */
    static AdaptiveLimit.Outcome outcome(GraphAnswer answer) {
        return switch (answer) {
            case GraphAnswer.Sent s -> AdaptiveLimit.Outcome.OK;
            case GraphAnswer.Throttled t -> AdaptiveLimit.Outcome.CONGESTED;
            case GraphAnswer.PairLimited p -> AdaptiveLimit.Outcome.CONGESTED;
            case GraphAnswer.Transient t -> AdaptiveLimit.Outcome.CONGESTED;
            case GraphAnswer.Rejected r -> AdaptiveLimit.Outcome.NEUTRAL;
            case null -> AdaptiveLimit.Outcome.NEUTRAL;
        };
    }

    /** A POST of a JSON body to the number's messages endpoint with its bearer token. */
    private Request post(byte[] body) {
        return links.http().request(target.messages(), links.settings().timeout()).method(HttpMethod.POST)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + target.accessToken()))
                .body(new BytesRequestContent("application/json", body));
    }

    private void remember(String wamid, long messageId) {
        synchronized (recent) {
            recent.put(wamid, messageId);
        }
    }

    /**
     * An incoming message from Meta's webhook; completes once it is stored. A file it names is fetched from Meta first,
     * on a thread of its own; the future fails when Meta could not give it now (the webhook is then answered with an
     * error, and Meta sends it again).
     */
    public CompletableFuture<Void> received(InboundMessage message) {
        if (!CloudMedia.TYPES.contains(message.type())) return handOn(message);
        CompletableFuture<InboundMessage> inlined = new CompletableFuture<>();
        Thread.ofVirtual().name("cloud-media-" + target.number()).start(() -> {
            try {
                inlined.complete(media.inline(message));
            } catch (Exception e) {
                LOG.info("cloud {}: the file of incoming message {} not fetched from Meta now: {}", target.number(),
                        message.networkId(), e.toString());
                inlined.completeExceptionally(e);
            }
        });
        return inlined.thenCompose(this::handOn);
    }

    private CompletableFuture<Void> handOn(InboundMessage message) {
        long seq = seqs.incrementAndGet();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        unacked.put(seq, stored);
        listener.onInbound(seq, message);
        return stored;
    }

    /**
     * A status from Meta's webhook for the message Meta calls {@code wamid}; completes once it is applied (by rank:
     * one that is not ahead of what the message has changes nothing) or at once when no message of this number has
     * that wamid (a status of a message sent elsewhere). {@code details}: Meta's {@code errors}, {@code conversation}
     * and {@code pricing} of the status as one JSON object, or null.
     */
    public CompletableFuture<Void> reported(String wamid, String recipient, DeliveryStatus status, long atMillis,
                                            String error, String details) {
        Long known;
        synchronized (recent) {
            known = recent.get(wamid);
        }
        Optional<Long> messageId = known != null ? Optional.of(known) : wamids.outgoing(wamid);
        if (messageId.isEmpty()) {
            LOG.debug("cloud {}/{}: status for an unknown message dropped", target.number(), target.shard());
            return CompletableFuture.completedFuture(null);
        }
        long seq = seqs.incrementAndGet();
        CompletableFuture<Void> applied = new CompletableFuture<>();
        unacked.put(seq, applied);
        listener.onStatus(seq, messageId.get(), recipient, status, atMillis, error, details);
        return applied;
    }

    @Override
    public void ack(long seq) {
        CompletableFuture<Void> item = unacked.remove(seq);
        if (item != null) item.complete(null);
    }

    /** Meta's webhooks need no login: connected from the start until closed. */
    @Override
    public boolean connected() {
        return !closed;
    }

    /**
     * Marks an incoming message read at Meta (its wamid), with Meta's typing indicator when {@code typing}: one attempt,
     * off the caller's thread, as a lost read mark only delays a blue tick.
     */
    @Override
    public void markRead(String networkId, boolean typing) {
        ObjectNode mark = links.json().createObjectNode().put("messaging_product", "whatsapp").put("status", "read")
                .put("message_id", networkId);
        if (typing) mark.putObject("typing_indicator").put("type", "text");
        Thread.ofVirtual().name("cloud-read-" + target.number()).start(() -> {
            try {
                long started = requests.acquire();
                // A read mark shares the calls under way with the sends but does not move the limit.
                try {
                    int status = links.http().exchange(post(mark.toString().getBytes(StandardCharsets.UTF_8)),
                            MAX_ANSWER_BYTES).status();
                    if (status / 100 != 2) LOG.info("cloud {}: read mark answered {}", target.number(), status);
                } finally {
                    requests.release(started, AdaptiveLimit.Outcome.NEUTRAL);
                }
            } catch (IOException | TimeoutException | OutboundUrls.Refused e) {
                LOG.info("cloud {}: read mark not sent: {}", target.number(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Groups are kept by the simulated network; a number on Meta's Cloud API manages its groups with Meta. */
    @Override
    public CompletableFuture<io.switchboard.network.groups.GroupInfo> group(
            io.switchboard.network.groups.GroupCommand command) {
        return CompletableFuture.failedFuture(new io.switchboard.network.groups.GroupRefused("groups_unavailable",
                "number " + target.number() + " is connected to Meta's Cloud API, whose groups this node does not manage"));
    }

    /** Meta reports delivered either way; the worker drops the events it does not want, so nothing to tell. */
    @Override
    public void relogin(boolean deliveryReports) {
    }

    @Override
    public void close() {
        closed = true;
        links.unregister(this);
        laneThreads.forEach(Thread::interrupt);
        unacked.values().forEach(item -> item.completeExceptionally(new IllegalStateException("link closed")));
        unacked.clear();
    }
}
