package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.Set;

/**
 * {@code "text":{"body","preview_url"}}. Meta's text messages page: body required, "Maximum 4096 characters";
 * preview_url optional, a boolean.
 */
final class TextKind implements Kind {
    static final int MAX_BODY = 4_096;
    private static final Set<String> FIELDS = Set.of("body", "preview_url");

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, FIELDS);
        String field = Fields.path(path, "body");
        JsonNode body = value.get("body");
        // The codes of the first text-only release, which clients may already test for.
        if (body == null || !body.isTextual() || body.asText().isBlank()) {
            throw new InvalidInput("empty_body", field + " must be a non-empty string", field);
        }
        int length = Fields.length(body.asText());
        if (length > MAX_BODY) {
            throw new InvalidInput("body_too_long", field + " has " + length + " characters; the limit is " + MAX_BODY,
                    field);
        }
        Fields.optionalBoolean(value, "preview_url", path);
    }
}
