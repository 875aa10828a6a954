package io.switchboard.network.cloud;

import java.util.Optional;

/** The node's own media files, as a link to Meta's Cloud API needs them to send a file stored here. */
public interface NodeMedia {
    /** A file's type, name (null when it has none) and bytes. */
    record File(String mimeType, String filename, byte[] bytes) {}

    /** The file the number may send by our media id, or empty when it is gone (expired, deleted, not its project's). */
    Optional<File> read(String number, String mediaId);

    /** The id Meta gave the file when the number uploaded it at or after {@code since} (epoch ms), if it did. */
    Optional<String> uploadedId(String number, String mediaId, long since);

    /** Keeps the id Meta gave the file for the number. */
    void uploaded(String number, String mediaId, String metaId, long at);
}
