package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.Engine;
import io.switchboard.store.IdempotencyKey;
import io.switchboard.store.Messages;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Sends under an idempotency key ({@code Idempotency-Key} header, or {@code client_ref} in the body): the first
 * request with a key queues its messages and its answer is stored with them, in one commit; a retry within
 * {@link Engine#KEY_LIFETIME} gets that answer (same status, same ids) and queues nothing; the key with another
 * request is 422. Keys are per project.
 *
 * <p>Concurrent retries: on this node one request per (project, key) is under way at a time, and the others wait
 * for it and then read its answer; across nodes, the store lets one claim of a key commit, and the loser reads the
 * winner's answer.
 */
final class IdempotentSends {
    static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");
    private static final int ATTEMPTS = 5;

    /** What to answer; {@code replayed} when it is a stored answer. */
    record Answer(int status, JsonNode body, boolean replayed) {}

    /** Stores the checked messages with the key {@code keyOf} makes; empty when the key was taken meanwhile. */
    @FunctionalInterface
    interface Sender {
        Optional<List<Engine.Accepted>> send(Function<List<Engine.Accepted>, IdempotencyKey> keyOf);
    }

    private final Messages messages;
    private final Clock clock;
    private final ObjectMapper json;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> underWay = new ConcurrentHashMap<>();

    IdempotentSends(Messages messages, Clock clock, ObjectMapper json) {
        this.messages = messages;
        this.clock = clock;
        this.json = json;
    }

    /** The request's key, or null when it has none. The header and {@code client_ref}, if both given, must agree. */
    static String key(String header, JsonNode body) {
        String given = header == null ? null : header.trim();
        if (given != null && !KEY.matcher(given).matches()) {
            throw ApiError.badRequest("invalid_idempotency_key", HEADER
                    + " must be 1 to 255 printable ASCII characters", null);
        }
        JsonNode ref = body.get("client_ref");
        if (ref == null || ref.isNull()) return given;
        if (!ref.isTextual() || !KEY.matcher(ref.asText()).matches()) {
            throw ApiError.badRequest("invalid_idempotency_key", "client_ref must be 1 to 255 printable ASCII characters",
                    "client_ref");
        }
        if (given != null && !given.equals(ref.asText())) {
            throw ApiError.badRequest("conflicting_fields", "client_ref and the " + HEADER
                    + " header differ; give one, or the same in both", "client_ref");
        }
        return ref.asText();
    }

    /**
     * Answers the request: the stored answer of an earlier one with this key, or the answer of sending it now.
     * {@code prepare} checks the request (a 400 is never stored: nothing was written) and returns its sender;
     * {@code render} makes the answer from the accepted messages.
     */
    Answer send(String projectId, String key, JsonNode body, Supplier<Sender> prepare,
                Function<List<Engine.Accepted>, ObjectNode> render) {
        String hash = hash(body);
        String gate = projectId + "\n" + key;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Answer> stored = stored(projectId, key, hash);
            if (stored.isPresent()) return stored.get();
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> first = underWay.putIfAbsent(gate, mine);
            if (first != null) {
                first.join(); // then read what it stored, or try ourselves if it stored nothing
                continue;
            }
            try {
                stored = stored(projectId, key, hash); // it may have finished between our read and our turn
                if (stored.isPresent()) return stored.get();
                Sender sender = prepare.get();
                AtomicReference<ObjectNode> answer = new AtomicReference<>();
                Optional<List<Engine.Accepted>> accepted = sender.send(ids -> {
                    answer.set(render.apply(ids));
                    return new IdempotencyKey(projectId, key, hash, 202, bytes(answer.get()), clock.millis());
                });
                if (accepted.isPresent()) return new Answer(202, answer.get(), false);
                // Another node claimed the key first: its answer is stored now.
            } finally {
                underWay.remove(gate, mine);
                mine.complete(null);
            }
        }
        throw new ApiError(409, "idempotency_conflict", "the request with this key could not be settled; retry it", null);
    }

    private Optional<Answer> stored(String projectId, String key, String hash) {
        long after = clock.millis() - Engine.KEY_LIFETIME.toMillis();
        return messages.idempotencyKey(projectId, key, after).map(stored -> {
            if (!stored.requestHash().equals(hash)) {
                throw new ApiError(422, "idempotency_key_reused", "this idempotency key was used within the last "
                        + Engine.KEY_LIFETIME.toHours() + " hours for a different request; use a new key", null);
            }
            try {
                return new Answer(stored.status(), json.readTree(stored.answer()), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private byte[] bytes(ObjectNode answer) {
        try {
            return json.writeValueAsBytes(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the body with its object keys sorted: the same request, however its fields are ordered. */
    static String hash(JsonNode body) {
        return Tokens.hash(sorted(body).toString());
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
            Collections.sort(names);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String name : names) copy.set(name, sorted(node.get(name)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode item : node) copy.add(sorted(item));
            return copy;
        }
        return node;
    }
}
