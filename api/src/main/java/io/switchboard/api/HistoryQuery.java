package io.switchboard.api;

import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.network.groups.GroupLimits;
import io.switchboard.store.Direction;
import io.switchboard.store.MessageHistory;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Project;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;

/**
 * The filters of the message history ({@code GET /v1/messages} and its export), read from the query string and
 * checked: each bad one is a 400 naming its parameter; a number that is not the caller's is not found. And the
 * history's cursor, opaque to callers: the (created_at, id) of a page's last message.
 */
final class HistoryQuery {
    /** What {@code status} may be: the labels a message shows, each with the direction it implies (null: either). */
    private record StatusFilter(MessageStatus status, Direction direction, Boolean scheduled) {}

    private static final Map<String, StatusFilter> STATUSES = Map.of(
            "queued", new StatusFilter(MessageStatus.QUEUED, Direction.OUT, false),
            "scheduled", new StatusFilter(MessageStatus.QUEUED, Direction.OUT, true),
            "received", new StatusFilter(MessageStatus.QUEUED, Direction.IN, null),
            "sent", new StatusFilter(MessageStatus.SENT, null, null),
            "delivered", new StatusFilter(MessageStatus.DELIVERED, null, null),
            "read", new StatusFilter(MessageStatus.READ, null, null),
            "failed", new StatusFilter(MessageStatus.FAILED, null, null),
            "expired", new StatusFilter(MessageStatus.EXPIRED, null, null),
            "cancelled", new StatusFilter(MessageStatus.CANCELLED, null, null));
    private static final Map<String, Direction> DIRECTIONS = Map.of("in", Direction.IN, "out", Direction.OUT);
    private static final int CURSOR_BYTES = 16;

    private HistoryQuery() {}

    /** The caller's filter as the query string gives it; {@code now} tells queued from scheduled. */
    static MessageHistory.Filter filter(Context ctx, Project project, Engine engine, long now) {
        String number = param(ctx, "number");
        if (number != null) {
            if (!MessageRules.isE164(number)) throw badNumber("number", number);
            engine.line(number).filter(line -> line.project().id().equals(project.id()))
                    .orElseThrow(() -> ApiError.notFound("number " + number));
        }
        String user = param(ctx, "user");
        if (user != null && !MessageRules.isE164(user) && !GroupLimits.isGroupId(user)) throw badNumber("user", user);
        Direction direction = oneOf(ctx, "direction", DIRECTIONS);
        StatusFilter status = oneOf(ctx, "status", STATUSES);
        if (status != null && status.direction() != null) {
            if (direction != null && direction != status.direction()) {
                throw ApiError.badRequest("conflicting_filters", "status " + param(ctx, "status") + " is only for "
                        + (status.direction() == Direction.IN ? "incoming" : "outgoing") + " messages, but direction is "
                        + param(ctx, "direction"), "status");
            }
            direction = status.direction();
        }
        Long since = time(ctx, "since");
        Long until = time(ctx, "until");
        if (since != null && until != null && until <= since) {
            throw ApiError.badRequest("invalid_range", "until must be later than since", "until");
        }
        return new MessageHistory.Filter(project.id(), number, user, direction, status == null ? null : status.status(),
                status == null ? null : status.scheduled(), now, since, until);
    }

    /** The cursor a page's {@code next} gives for its last message. */
    static String cursor(MessageRecord last) {
        ByteBuffer bytes = ByteBuffer.allocate(CURSOR_BYTES).putLong(last.times().created()).putLong(last.id());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The position a cursor names (null: from the newest), or 400 {@code invalid_cursor}. */
    static MessageHistory.Position position(String after) {
        if (after == null) return null;
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(after);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != CURSOR_BYTES) {
            throw ApiError.badRequest("invalid_cursor", "after must be the next of an earlier page", "after");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new MessageHistory.Position(buffer.getLong(), buffer.getLong());
    }

    /** A parameter's value; absent or empty: null. */
    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static <T> T oneOf(Context ctx, String name, Map<String, T> choices) {
        String value = param(ctx, name);
        if (value == null) return null;
        T choice = choices.get(value);
        if (choice == null) {
            throw ApiError.badRequest("invalid_" + name, name + " must be one of " + String.join(", ",
                    new java.util.TreeSet<>(choices.keySet())) + ", got '" + value + "'", name);
        }
        return choice;
    }

    /** An ISO-8601 time, in UTC ({@code 2026-11-21T08:00:00Z}) or with an offset, as epoch ms. */
    private static Long time(Context ctx, String name) {
        String text = param(ctx, name);
        if (text == null) return null;
        try {
            return parseTime(text);
        } catch (DateTimeParseException | ArithmeticException e) { // ArithmeticException: a year past epoch ms
            throw ApiError.badRequest("invalid_time", name + " must be an ISO-8601 time such as 2026-11-21T08:00:00Z"
                    + " (a + in an offset sent as %2B)", name);
        }
    }

    private static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notUtc) {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
    }

    private static ApiError badNumber(String name, String value) {
        String hint = value.startsWith(" ") ? " (a leading + must be sent as %2B: a bare + reads as a space)" : "";
        return ApiError.badRequest("invalid_number", name + " must be an E.164 number such as +919800000001"
                + (name.equals("user") ? " or a group id such as 12036312345678@g.us" : "") + hint, name);
    }
}
