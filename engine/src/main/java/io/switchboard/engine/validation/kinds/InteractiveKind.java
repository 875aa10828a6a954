package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.Map;
import java.util.Set;

/**
 * {@code "interactive":{"type":"button"|"list","header","body","footer","action"}}, the parts both types share; the
 * action of each is checked by {@link ReplyButtons} or {@link ListAction}.
 *
 * <p>Limits, from Meta's "interactive reply buttons messages" and "interactive list messages" pages: the body is
 * required, at most 1,024 characters with buttons and 4,096 with a list; the footer at most 60; a text header at most
 * 60. Buttons take a text, image, video or document header; a list only a text one. Media in a header has no caption.
 */
final class InteractiveKind implements Kind {
    static final int MAX_BUTTON_BODY = 1_024;
    static final int MAX_LIST_BODY = 4_096;
    static final int MAX_FOOTER = 60;
    static final int MAX_HEADER_TEXT = 60;
    private static final Set<String> FIELDS = Set.of("type", "header", "body", "footer", "action");
    private static final Set<String> TYPES = Set.of("button", "list");
    private static final Map<String, MediaKind> HEADER_MEDIA = Map.of("image", MediaKind.IMAGE.withoutCaption(),
            "video", MediaKind.VIDEO.withoutCaption(), "document", MediaKind.DOCUMENT.withoutCaption());

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, FIELDS);
        boolean list = Fields.oneOf(value, "type", path, TYPES).equals("list");
        JsonNode body = Fields.object(value, "body", path);
        Fields.only(body, Fields.path(path, "body"), Set.of("text"));
        Fields.text(body, "text", Fields.path(path, "body"), list ? MAX_LIST_BODY : MAX_BUTTON_BODY);
        JsonNode footer = Fields.optionalObject(value, "footer", path);
        if (footer != null) {
            Fields.only(footer, Fields.path(path, "footer"), Set.of("text"));
            Fields.text(footer, "text", Fields.path(path, "footer"), MAX_FOOTER);
        }
        JsonNode header = Fields.optionalObject(value, "header", path);
        if (header != null) header(header, Fields.path(path, "header"), list);
        JsonNode action = Fields.object(value, "action", path);
        if (list) ListAction.check(action, Fields.path(path, "action"));
        else ReplyButtons.check(action, Fields.path(path, "action"));
    }

    private static void header(JsonNode header, String path, boolean list) {
        Set<String> types = list ? Set.of("text") : Set.of("text", "image", "video", "document");
        String type = Fields.oneOf(header, "type", path, types);
        Fields.only(header, path, Set.of("type", type));
        if (type.equals("text")) {
            Fields.text(header, "text", path, MAX_HEADER_TEXT);
        } else {
            HEADER_MEDIA.get(type).check(header.get(type), Fields.path(path, type));
        }
    }

    /** Ids and titles a user taps must tell the choices apart. */
    static void unique(Set<String> seen, String value, String field) {
        if (!seen.add(value)) throw Fields.duplicate(field, value);
    }

    /** Meta: a button or row id "cannot have leading or trailing spaces". */
    static void trimmed(String id, String field) {
        if (!id.equals(id.strip())) {
            throw new InvalidInput("invalid_id", field + " must not start or end with spaces", field);
        }
    }
}
