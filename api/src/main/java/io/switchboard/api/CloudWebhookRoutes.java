package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.dispatcher.signing.Signer;
import io.switchboard.network.DeliveryStatus;
import io.switchboard.network.InboundMessage;
import io.switchboard.network.cloud.CloudLink;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's webhooks for the numbers connected to the Cloud API ({@value UpstreamInput#WEBHOOK_PATH}, no token: Meta
 * signs instead). {@code GET} is the subscription handshake: the challenge back when {@code hub.verify_token} is one
 * of the connected numbers'. {@code POST} carries messages and statuses: its {@code X-Hub-Signature-256} must be the
 * HMAC-SHA256 of the raw bytes with the app secret of every number the body names (401 without a signature, 403
 * with a wrong one, and nothing is taken). Each message and status then goes to the link of its user's shard, into
 * the same pipeline as the network's (a repeated wamid is stored once; a status applies only when it is ahead of
 * the message's). Meta sends every webhook of an app to one URL, so in a cluster the parts of shards that run on
 * other nodes are passed on to them, the raw body with its signature, one call to each node. The answer is 200 once
 * all of it is stored here and every node passed to answered 200; 503 when that does not happen in time, or no
 * node runs a shard the call names, so Meta sends it again.
 */
final class CloudWebhookRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWebhookRoutes.class);
    private static final long STORE_WAIT_MS = 10_000;
    private static final String SIGNATURE = "X-Hub-Signature-256";
    /** The store keeps up to 200 characters of a message's error. */
    private static final int MAX_ERROR = 200;
    /** The most of what Meta tells besides a message or status that is kept (characters of its JSON). */
    private static final int MAX_TOLD = 8_192;

    private final Api.Parts parts;
    private final Requests requests;
    private final ShardOwners owners;

    CloudWebhookRoutes(Api.Parts parts, Requests requests) {
        this.parts = parts;
        this.requests = requests;
        this.owners = new ShardOwners(parts.cluster(), parts.clock());
    }

    void addTo(Javalin server) {
        server.get(UpstreamInput.WEBHOOK_PATH, this::handshake);
        server.post(UpstreamInput.WEBHOOK_PATH, this::deliver);
    }

    private void handshake(Context ctx) {
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        if (!"subscribe".equals(ctx.queryParam("hub.mode")) || token == null || challenge == null
                || !parts.upstream().upstreams().knowsVerifyToken(Tokens.hash(token))) {
            throw new ApiError(403, "verify_token_mismatch", "hub.verify_token is not one this node knows", "hub.verify_token");
        }
        ctx.status(200).contentType("text/plain").result(challenge);
    }

    private void deliver(Context ctx) throws InterruptedException {
        String signature = ctx.header(SIGNATURE);
        if (signature == null || !signature.matches("sha256=[0-9a-fA-F]{64}")) { // before a byte of the body is read
            throw new ApiError(401, "missing_signature", SIGNATURE + " is required (sha256= and 64 hex digits)", SIGNATURE);
        }
        byte[] raw = ctx.bodyAsBytes();
        JsonNode body = json(raw);
        Map<String, CloudUpstream> numbers = verified(body, raw, signature);
        Delivery delivery = new Delivery(ctx);
        for (JsonNode entry : body.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                CloudUpstream upstream = numbers.get(value.path("metadata").path("phone_number_id").asText());
                if (upstream != null) take(upstream, value, delivery);
            }
        }
        // Passed on before the wait here, so the other nodes store their parts meanwhile.
        CompletableFuture<Boolean> takenElsewhere = owners.takenByOwners(ctx, delivery.elsewhere, SIGNATURE);
        try {
            CompletableFuture.allOf(delivery.stored.toArray(CompletableFuture[]::new)).get(STORE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiError(503, "not_stored", "not stored in time; send it again", null);
        }
        if (!takenElsewhere.join()) {
            throw new ApiError(503, "shard_elsewhere", "a shard this call names is not run by a node that took it "
                    + "right now; send it again", null);
        }
        requests.send(ctx, 200, parts.json().createObjectNode());
    }

    private JsonNode json(byte[] raw) {
        try {
            JsonNode body = parts.json().readTree(raw);
            if (body != null && body.isObject()) return body;
        } catch (IOException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_json", "the body must be a JSON object", null);
    }

    /**
     * The connected numbers the body names, once the signature is checked against each one's app secret. A body that
     * names no connected number cannot be checked, so it is refused like a wrong signature.
     */
    private Map<String, CloudUpstream> verified(JsonNode body, byte[] raw, String signature) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode entry : body.path("entry")) {
            for (JsonNode change : entry.path("changes")) ids.add(change.path("value").path("metadata").path("phone_number_id").asText());
        }
        Map<String, CloudUpstream> numbers = new HashMap<>();
        for (String id : ids) {
            CloudUpstream upstream = id.isEmpty() ? null : parts.upstream().upstreams().byPhoneNumberId(id).orElse(null);
            if (upstream == null || !signedBy(upstream, raw, signature)) throw invalidSignature();
            numbers.put(id, upstream);
        }
        if (numbers.isEmpty()) throw invalidSignature();
        return numbers;
    }

    private static ApiError invalidSignature() {
        return new ApiError(403, "invalid_signature", SIGNATURE + " does not match the body", SIGNATURE);
    }

    private boolean signedBy(CloudUpstream upstream, byte[] raw, String signature) {
        String secret = parts.vault().openSecret(CloudUpstream.owner(upstream.number(), "app_secret"), upstream.sealedAppSecret());
        return MessageDigest.isEqual(Signer.hubSignature(secret, raw).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** Hands one change's messages and statuses to the links of their users' shards. */
    private void take(CloudUpstream upstream, JsonNode value, Delivery delivery) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode contact : value.path("contacts")) {
            names.put(contact.path("wa_id").asText(), contact.path("profile").path("name").asText(""));
        }
        for (JsonNode message : value.path("messages")) {
            String from = message.path("from").asText();
            String type = message.path("type").asText();
            JsonNode context = message.path("context");
            InboundMessage in = new InboundMessage(message.path("id").asText(), "+" + from, names.getOrDefault(from, ""),
                    type, message.path(type).toString(), message.path("timestamp").asLong() * 1_000,
                    context.hasNonNull("id") ? new InboundMessage.Context(context.path("from").asText(""),
                            context.path("id").asText()) : null,
                    referral(message));
            delivery.add(upstream, in.from(), link -> link.received(in));
        }
        for (JsonNode status : value.path("statuses")) {
            DeliveryStatus reached = switch (status.path("status").asText()) {
                case "delivered" -> DeliveryStatus.DELIVERED;
                case "read" -> DeliveryStatus.READ;
                case "failed" -> DeliveryStatus.FAILED;
                default -> null; // "sent": the message became sent when the Graph API took it
            };
            if (reached == null) continue;
            String recipient = "+" + status.path("recipient_id").asText();
            JsonNode error = status.path("errors").path(0);
            String reason = error.isMissingNode() ? null
                    : clipped(error.path("code").asText() + ": " + error.path("title").asText());
            String details = details(status);
            delivery.add(upstream, recipient, link -> link.reported(status.path("id").asText(), recipient, reached,
                    status.path("timestamp").asLong() * 1_000, reason, details));
        }
    }

    /**
     * What Meta told with a status besides it ({@code errors}, {@code conversation}, {@code pricing}), or null; null
     * too past {@value #MAX_TOLD} characters (Meta's are a few hundred), which the store's column would not take.
     */
    private String details(JsonNode status) {
        com.fasterxml.jackson.databind.node.ObjectNode details = parts.json().createObjectNode();
        for (String field : List.of("errors", "conversation", "pricing")) {
            if (status.path(field).isContainerNode()) details.set(field, status.get(field));
        }
        return details.isEmpty() ? null : bounded(details.toString());
    }

    /** Meta's referral object of a user who came from an ad, or null (also past {@value #MAX_TOLD} characters). */
    private static String referral(JsonNode message) {
        return message.path("referral").isObject() ? bounded(message.path("referral").toString()) : null;
    }

    private static String bounded(String told) {
        return told.length() <= MAX_TOLD ? told : null;
    }

    private static String clipped(String reason) {
        return reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) : reason;
    }

    /**
     * One call's parts, sorted as they come: those of the shards that run here go to their links at once; in a
     * cluster, the others are left for the nodes that run them, unless another node passed the call on, when this
     * node takes only its own (it must run those it was passed the call for) and leaves the rest to that node.
     */
    private final class Delivery {
        final List<CompletableFuture<Void>> stored = new ArrayList<>();
        final Set<ShardOwners.Shard> elsewhere = new LinkedHashSet<>();
        private final boolean passedOn;
        private final Set<ShardOwners.Shard> passedOnFor;

        Delivery(Context ctx) {
            passedOn = ShardOwners.passedOn(ctx);
            passedOnFor = passedOn ? ShardOwners.passedOnFor(ctx) : Set.of();
        }

        void add(CloudUpstream upstream, String user, Function<CloudLink, CompletableFuture<Void>> part) {
            Optional<CloudLink> link = parts.upstream().links().find(upstream.phoneNumberId(), user);
            if (link.isPresent()) {
                stored.add(part.apply(link.get()));
                return;
            }
            if (!owners.clustered()) throw shardNotHere(upstream);
            // The shard as this node routes it (the number's line is in memory): no store read a webhook.
            int shardOf = parts.engine().line(upstream.number()).map(line -> line.shardOf(user))
                    .orElseThrow(() -> shardNotHere(upstream));
            ShardOwners.Shard shard = new ShardOwners.Shard(upstream.number(), shardOf);
            if (!passedOn) {
                elsewhere.add(shard);
            } else if (passedOnFor.contains(shard)) {
                throw shardNotHere(upstream); // it moved away since the other node looked: Meta sends it again
            }
        }
    }

    private static ApiError shardNotHere(CloudUpstream upstream) {
        LOG.warn("number {}: a Meta webhook for a shard that does not run here", upstream.number());
        return new ApiError(503, "shard_not_here", "the number's shard does not run on this node", null);
    }
}
