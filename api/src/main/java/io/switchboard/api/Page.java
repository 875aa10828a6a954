package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, asked for as {@code ?limit=N&after=CURSOR}: at most {@code limit} items (1 to 1,000, default
 * 100) that come after the cursor, which is the key of the last item of the page before ({@code next} in its
 * answer). Every list of the API pages this way. The list asks its store for {@link #fetch()} items, one more than
 * it shows, so that {@code next} is null exactly when nothing follows; a list keyed by a unique, ordered key never
 * loses or repeats an item between pages, even while items are added.
 */
record Page(int limit, String after) {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final int MAX_CURSOR = 64;

    static Page of(Context ctx) {
        String limitText = ctx.queryParam("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1; // reported below
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiError.badRequest("out_of_range", "limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
            }
        }
        String after = ctx.queryParam("after");
        if (after != null && after.length() > MAX_CURSOR) {
            throw ApiError.badRequest("invalid_cursor", "after must be the next of an earlier page", "after");
        }
        return new Page(limit, after == null || after.isEmpty() ? null : after);
    }

    /** How many items to ask the store for. */
    int fetch() {
        return limit + 1;
    }

    /** {@code {"<field>":[...],"next":<key of the last item shown, or null>}} from what the store gave. */
    <T> ObjectNode answer(String field, List<T> fetched, Function<T, JsonNode> json, Function<T, String> key) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode list = answer.putArray(field);
        List<T> shown = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        for (T item : shown) list.add(json.apply(item));
        if (fetched.size() > limit) answer.put("next", key.apply(shown.getLast()));
        else answer.putNull("next");
        return answer;
    }
}
