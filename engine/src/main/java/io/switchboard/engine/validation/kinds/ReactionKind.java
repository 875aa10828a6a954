package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.text.BreakIterator;
import java.util.Set;

/**
 * {@code "reaction":{"message_id","emoji"}}. Meta's reaction messages page: both required; message_id is the message
 * reacted to, emoji "the emoji itself" (one), and an empty emoji removes a reaction.
 */
final class ReactionKind implements Kind {
    private static final Set<String> FIELDS = Set.of("message_id", "emoji");
    /** Our own bound on a message id (a wamid is about 60 characters). */
    static final int MAX_MESSAGE_ID = 256;

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, FIELDS);
        Fields.text(value, "message_id", path, MAX_MESSAGE_ID);
        String field = Fields.path(path, "emoji");
        JsonNode emoji = value.get("emoji");
        if (emoji == null || emoji.isNull()) throw Fields.missing(field);
        if (!emoji.isTextual()) throw new InvalidInput("invalid_type", field + " must be a string", field);
        if (!emoji.asText().isEmpty() && !isOneEmoji(emoji.asText())) {
            throw new InvalidInput("invalid_emoji", field + " must be one emoji, or \"\" to remove a reaction; got '"
                    + emoji.asText() + "'", field);
        }
    }

    /**
     * One user-perceived character (an extended grapheme cluster, so 👍🏽, 🇮🇳 and 👩‍👩‍👧 count as one) that is an
     * emoji: it holds a pictographic or emoji-presentation code point, or is a keycap (1️⃣).
     */
    static boolean isOneEmoji(String text) {
        BreakIterator clusters = BreakIterator.getCharacterInstance();
        clusters.setText(text);
        if (clusters.next() != text.length()) return false;
        return text.codePoints().anyMatch(c -> Character.isExtendedPictographic(c) || Character.isEmojiPresentation(c)
                || c == 0x20E3);
    }
}
