package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import java.util.HashSet;
import java.util.Set;

/**
 * The action of an interactive {@code button} message: {@code {"buttons":[{"type":"reply","reply":{"id","title"}}]}}.
 * Meta's "interactive reply buttons messages" page: up to three buttons; a button id at most 256 characters, a title
 * at most 20, "unique within the message" and not empty.
 */
final class ReplyButtons {
    static final int MAX_BUTTONS = 3;
    static final int MAX_ID = 256;
    static final int MAX_TITLE = 20;

    private ReplyButtons() {}

    static void check(JsonNode action, String path) {
        Fields.only(action, path, Set.of("buttons"));
        JsonNode buttons = Fields.array(action, "buttons", path, 1, MAX_BUTTONS);
        Set<String> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (int i = 0; i < buttons.size(); i++) {
            String at = Fields.item(Fields.path(path, "buttons"), i);
            JsonNode button = Fields.requireObject(buttons.get(i), at);
            Fields.only(button, at, Set.of("type", "reply"));
            Fields.oneOf(button, "type", at, Set.of("reply"));
            JsonNode reply = Fields.object(button, "reply", at);
            String replyAt = Fields.path(at, "reply");
            Fields.only(reply, replyAt, Set.of("id", "title"));
            String id = Fields.text(reply, "id", replyAt, MAX_ID);
            InteractiveKind.trimmed(id, Fields.path(replyAt, "id"));
            InteractiveKind.unique(ids, id, Fields.path(replyAt, "id"));
            InteractiveKind.unique(titles, Fields.text(reply, "title", replyAt, MAX_TITLE), Fields.path(replyAt, "title"));
        }
    }
}
