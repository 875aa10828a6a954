package io.switchboard.engine.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the file a media message names by {@code link}, before the message is sent and off the pump's thread:
 * the file is stored like an upload, and the message goes with the stored media in place of the link.
 */
public interface MediaLinks {
    /** Meta's "media upload error", which a message whose link cannot be fetched fails with. */
    String UPLOAD_ERROR = "131053";

    /**
     * The media object to send in place of {@code payload} (the message's object, with a link), or a future failed
     * with a {@link MediaLinkFailed} that says why the file could not be had.
     */
    CompletableFuture<String> fetch(String projectId, String number, String messageType, String payload);

    /** Whether a message of this type and object names its media by link (so its file must be fetched first). */
    static boolean linked(String messageType, String payload) {
        if (!MediaTypes.isMedia(messageType) || payload == null || !payload.contains("link")) return false;
        try {
            JsonNode object = Json.READER.readTree(payload);
            return object != null && object.hasNonNull("link");
        } catch (IOException e) {
            return false;
        }
    }

    /** Why a link's file could not be had: the message fails with this as its error. */
    final class MediaLinkFailed extends RuntimeException {
        public MediaLinkFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Holds the shared reader (an interface cannot have a private constant). */
    final class Json {
        static final ObjectMapper READER = new ObjectMapper();

        private Json() {}
    }
}
