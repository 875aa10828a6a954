package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.validation.kinds.Kind;
import io.switchboard.engine.validation.kinds.Kinds;
import io.switchboard.network.groups.GroupLimits;
import io.switchboard.network.protocol.FrameCodec;
import io.switchboard.store.Priority;
import io.switchboard.store.SendOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns one JSON message object, shaped like the Cloud API's ({@code {"from","to","type":"image","image":{...},
 * "context":{"message_id"},"priority","schedule_at","expires_at"|"ttl","biz_opaque_callback_data"}}), into an
 * {@link OutgoingMessage}, checked the way WhatsApp checks it, or says exactly which field is wrong and why. The rules of each type are in
 * {@link Kinds}; this class checks what every message has.
 */
public final class MessageRules {
    public static final int MAX_TEXT_LENGTH = 4_096;
    /** How far ahead a message may be scheduled; also the longest ttl. Ours: a schedule is not a calendar. */
    public static final Duration MAX_AHEAD = Duration.ofDays(30);
    /** Meta's bound on {@code biz_opaque_callback_data}, in characters. */
    public static final int MAX_CALLBACK = 512;
    /** Our own bound on the id a reply refers to (a wamid is about 60 characters). */
    static final int MAX_CONTEXT_ID = 128;
    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    /** What every message may have besides the object of its type; the Cloud API's own fields are taken and checked. */
    private static final Set<String> COMMON = Set.of("from", "to", "type", "priority", "context", "schedule_at",
            "expires_at", "ttl", "messaging_product", "recipient_type", "biz_opaque_callback_data");
    /** The fields a message of each type may have: the common ones and the object of its type. */
    private static final Map<String, Set<String>> FIELDS = Kinds.TYPES.stream().collect(Collectors.toUnmodifiableMap(
            type -> type, type -> Stream.concat(COMMON.stream(), Stream.of(type)).collect(Collectors.toUnmodifiableSet())));

    /** What the caller may send from and to: its project's numbers, and the groups they own. */
    public interface Senders {
        boolean ownsNumber(String number);

        /** Whether the number {@code from} owns the group; none by default (an instant reply answers a user). */
        default boolean ownsGroup(String from, String group) {
            return false;
        }

        /** Whether the number {@code from} may send the template {@code name} in {@code language}; any by default. */
        default boolean mayUseTemplate(String from, String name, String language) {
            return true;
        }
    }

    /** Message types WhatsApp does not carry to a group (Meta's Groups API: interactive messages). */
    private static final Set<String> NOT_TO_GROUPS = Set.of("interactive");

    /**
     * What a message is checked against. {@code senders}: the caller's numbers and their groups;
     * {@code defaults}: {@code from} and {@code to} where they are missing (instant replies), or null; {@code now}:
     * the time schedules and expiries are checked against; {@code timed}: whether {@code schedule_at},
     * {@code expires_at} and {@code ttl} are allowed (an instant reply is sent at once); {@code media}: the
     * project's uploaded media, which a media message may name by id.
     */
    public record Settings(Senders senders, OutgoingMessage defaults, Priority defaultPriority, long now,
                           boolean timed, MediaIds media) {
        public static Settings api(Senders senders, long now, MediaIds media) {
            return new Settings(senders, null, Priority.NORMAL, now, true, media);
        }

        /** An instant reply, or any message sent at once: no schedule or expiry allowed. */
        public static Settings now(Senders senders, OutgoingMessage defaults, Priority defaultPriority, MediaIds media) {
            return new Settings(senders, defaults, defaultPriority, 0, false, media);
        }
    }

    private MessageRules() {}

    private static void approvedTemplate(Senders senders, String from, JsonNode template, String path) {
        String name = template.path("name").asText();
        String language = template.path("language").path("code").asText();
        if (!senders.mayUseTemplate(from, name, language)) {
            throw new InvalidInput("unknown_template", Fields.path(path, "name") + " '" + name + "' in " + language
                    + " is not an approved template of this project (GET /{version}/{waba_id}/message_templates lists them)",
                    Fields.path(path, "name"));
        }
    }

    public static boolean isE164(String number) {
        return number != null && E164.matcher(number).matches();
    }

    /** @param at the JSON path of this object, for error fields ("" for a top-level message) */
    public static OutgoingMessage parse(JsonNode node, String at, Settings settings) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput("invalid_message", "a message must be a JSON object", Fields.path(at, ""));
        }
        OutgoingMessage defaults = settings.defaults();
        String from = text(node, "from", defaults == null ? null : defaults.from(), at);
        if (from == null) throw new InvalidInput("missing_field", "from is required: the business number to send from", Fields.path(at, "from"));
        if (!settings.senders().ownsNumber(from)) {
            throw new InvalidInput("unknown_number", "from " + from + " is not a number of this project", Fields.path(at, "from"));
        }
        String to = text(node, "to", defaults == null ? null : defaults.to(), at);
        if (to == null) throw new InvalidInput("missing_field", "to is required", Fields.path(at, "to"));
        boolean toGroup = GroupLimits.isGroupId(to);
        if (toGroup && !settings.senders().ownsGroup(from, to)) {
            throw new InvalidInput("unknown_group", "to " + to + " is not a group of " + from, Fields.path(at, "to"));
        }
        if (!toGroup && !isE164(to)) {
            throw new InvalidInput("invalid_recipient", "to must be an E.164 number such as +919800000001 or a group id "
                    + "such as 12036312345678@g.us, got '" + to + "'", Fields.path(at, "to"));
        }
        String type = text(node, "type", "text", at);
        if (toGroup && NOT_TO_GROUPS.contains(type)) {
            throw new InvalidInput("not_for_groups", "a message of type " + type + " cannot go to a group",
                    Fields.path(at, "type"));
        }
        Kind kind = Kinds.of(type).orElseThrow(() -> new InvalidInput("unsupported_type", "type '" + type
                + "' is not supported; use one of " + String.join(", ", Kinds.TYPES.stream().sorted().toList()),
                Fields.path(at, "type")));
        Fields.only(node, at, FIELDS.get(type));
        if (node.has("messaging_product")) Fields.oneOf(node, "messaging_product", at, Set.of("whatsapp"));
        kind.check(node.get(type), Fields.path(at, type));
        JsonNode object = node.get(type);
        if (type.equals("template")) approvedTemplate(settings.senders(), from, object, Fields.path(at, type));
        if (MediaTypes.isMedia(type) && object.has("id")) {
            object = settings.media().attach(type, (ObjectNode) object, Fields.path(at, type));
        }
        String payload = object.toString();
        int bytes = FrameCodec.utfLength(payload);
        if (bytes > FrameCodec.MAX_STRING_BYTES) {
            throw new InvalidInput("payload_too_large", Fields.path(at, type) + " is " + bytes
                    + " bytes as sent; the limit is " + FrameCodec.MAX_STRING_BYTES, Fields.path(at, type));
        }
        Priority priority = settings.defaultPriority();
        JsonNode priorityNode = node.get("priority");
        if (priorityNode != null && !priorityNode.isNull()) {
            priority = Priority.parse(priorityNode.asText()).orElseThrow(() -> new InvalidInput("invalid_priority",
                    "priority must be one of urgent, high, normal, low", Fields.path(at, "priority")));
        }
        // Meta's opaque value for the message's status webhooks: kept as given, never sent to the network.
        String callback = Fields.optionalText(node, "biz_opaque_callback_data", at, MAX_CALLBACK);
        return new OutgoingMessage(from, to, type, payload, priority, options(node, at, settings), callback);
    }

    /** The reply context, the schedule and the expiry. */
    private static SendOptions options(JsonNode node, String at, Settings settings) {
        String replyTo = null;
        JsonNode context = Fields.optionalObject(node, "context", at);
        if (context != null) {
            Fields.only(context, Fields.path(at, "context"), Set.of("message_id"));
            replyTo = Fields.text(context, "message_id", Fields.path(at, "context"), MAX_CONTEXT_ID);
        }
        for (String field : new String[] {"schedule_at", "expires_at", "ttl"}) {
            if (!settings.timed() && node.hasNonNull(field)) {
                throw new InvalidInput("not_allowed", field + " is not allowed here: an instant reply is sent at once",
                        Fields.path(at, field));
            }
        }
        long now = settings.now();
        long notBefore = time(node, "schedule_at", at);
        if (notBefore > now + MAX_AHEAD.toMillis()) {
            throw new InvalidInput("too_far_ahead", "schedule_at is more than " + MAX_AHEAD.toDays()
                    + " days ahead; the limit is " + MAX_AHEAD.toDays() + " days", Fields.path(at, "schedule_at"));
        }
        long sendFrom = Math.max(now, notBefore);
        long expiresAt = time(node, "expires_at", at);
        if (node.hasNonNull("ttl")) {
            if (expiresAt != 0) {
                throw new InvalidInput("conflicting_fields", "give either expires_at or ttl, not both", Fields.path(at, "ttl"));
            }
            expiresAt = sendFrom + ttlSeconds(node.get("ttl"), Fields.path(at, "ttl")) * 1_000;
        } else if (expiresAt != 0 && expiresAt <= sendFrom) {
            throw new InvalidInput("expires_too_soon", "expires_at must be after " + (notBefore > now
                    ? "schedule_at" : "now") + ": the message could never be sent", Fields.path(at, "expires_at"));
        }
        return new SendOptions(replyTo, notBefore, expiresAt);
    }

    private static long ttlSeconds(JsonNode ttl, String field) {
        long max = MAX_AHEAD.toSeconds();
        if (!ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.asLong() < 1 || ttl.asLong() > max) {
            throw new InvalidInput("out_of_range", "ttl must be a whole number of seconds from 1 to " + max, field);
        }
        return ttl.asLong();
    }

    /** An optional ISO-8601 time ({@code 2026-11-21T08:00:00Z} or with an offset) as epoch ms; 0 when absent. */
    private static long time(JsonNode node, String name, String at) {
        String text = Fields.optionalText(node, name, at);
        if (text == null) return 0;
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidInput("invalid_time", name + " must be an ISO-8601 time such as 2026-11-21T08:00:00Z, got '"
                        + text + "'", Fields.path(at, name));
            }
        }
    }

    private static String text(JsonNode node, String field, String fallback, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.isTextual()) {
            throw new InvalidInput("invalid_type", field + " must be a string", Fields.path(at, field));
        }
        return value.asText();
    }
}
