package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading request bodies and fields, and writing JSON answers: every error names the field at fault. */
final class Requests {
    private final ObjectMapper json;

    Requests(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * Reads to the end, without keeping, what was left of the request's body when the answer is ready: a refusal
     * (an unknown object, a bad token, a body refused on its first bytes) leaves it unread, and Jetty then closes the
     * connection after an answer that did not say so, so that a client's next request on it gets no answer at all.
     * BodyLimit bounds what is read; a 413's body is refused unread, and its answer says the connection closes.
     */
    static void readToEnd(Context ctx) {
        if (ctx.status().getCode() == 413) return;
        try {
            ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | IllegalStateException | ApiError e) {
            // The caller went away mid-body, or sent more than the limit: the connection is not kept either way.
        }
    }

    JsonNode body(Context ctx) {
        return body(new ByteArrayInputStream(ctx.bodyAsBytes()));
    }

    /** A body read from {@code in}: a JSON object, or 400 {@code invalid_json}. */
    JsonNode body(InputStream in) {
        try {
            JsonNode node = json.readTree(in);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("invalid_json", "the body must be a JSON object", null);
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the body could not be read: " + e.getMessage(), null);
        }
    }

    /** A body that may be empty (then an empty object). */
    JsonNode optionalBody(Context ctx) {
        return ctx.bodyAsBytes().length == 0 ? json.createObjectNode() : body(ctx);
    }

    void send(Context ctx, int status, JsonNode body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            // A known length, not chunks: simpler for every client, and the body is in hand anyway.
            ctx.status(status).contentType("application/json").header("Content-Length", String.valueOf(bytes.length))
                    .result(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String requiredText(JsonNode body, String field, int maxLength) {
        return requiredText(body, "", field, maxLength);
    }

    /** A field of a nested object, named in errors by its path ({@code prefix} ends with a dot). */
    static String requiredText(JsonNode body, String prefix, String field, int maxLength) {
        JsonNode value = body.get(field);
        String path = prefix + field;
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.badRequest("missing_field", path + " is required", path);
        }
        if (value.asText().length() > maxLength) {
            throw ApiError.badRequest("too_long", path + " is longer than " + maxLength + " characters", path);
        }
        return value.asText().trim();
    }

    static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isBoolean()) throw ApiError.badRequest("invalid_boolean", field + " must be true or false", field);
        return value.booleanValue();
    }

    static int intField(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw ApiError.badRequest("out_of_range", field + " must be a whole number from " + min + " to " + max, field);
        }
        return value.asInt();
    }

    /** An optional time as ISO-8601 ({@code 2026-11-21T08:00:00Z}); epoch ms, or {@code fallback} when absent. */
    static long time(JsonNode body, String field, long fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return fallback;
        try {
            return java.time.Instant.parse(value.asText()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("invalid_time", field + " must be an ISO-8601 time such as 2026-11-21T08:00:00Z", field);
        }
    }
}
