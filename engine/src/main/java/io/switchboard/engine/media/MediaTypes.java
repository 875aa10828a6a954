package io.switchboard.engine.media;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * WhatsApp's supported media: which MIME types each media message type takes, and how large a file may be.
 *
 * <p>From Meta's Cloud API reference, "Supported Media Types": audio {@code audio/aac, audio/amr, audio/mpeg,
 * audio/mp4, audio/ogg} up to 16 MB; documents (plain text, PDF, Word, Excel, PowerPoint) up to 100 MB; images
 * {@code image/jpeg, image/png} up to 5 MB; stickers {@code image/webp}, 100 KB static and 500 KB animated; video
 * {@code video/mp4, video/3gpp} up to 16 MB. Meta's MB and KB are read as MiB and KiB. Each MIME type belongs to one
 * message type, so an uploaded file's type says which messages may carry it.
 */
public final class MediaTypes {
    private static final long KIB = 1_024;
    private static final long MIB = 1_024 * KIB;
    public static final long STATIC_STICKER_BYTES = 100 * KIB;

    private static final Map<String, Set<String>> MIME_TYPES = Map.of(
            "image", Set.of("image/jpeg", "image/png"),
            "video", Set.of("video/mp4", "video/3gpp"),
            "audio", Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"),
            "document", Set.of("text/plain", "application/pdf", "application/msword",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.ms-powerpoint",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            "sticker", Set.of("image/webp"));
    private static final Map<String, Long> MAX_BYTES = Map.of("image", 5 * MIB, "video", 16 * MIB, "audio", 16 * MIB,
            "document", 100 * MIB, "sticker", 500 * KIB);
    private static final Map<String, String> TYPE_OF_MIME = MIME_TYPES.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(mime -> Map.entry(mime, e.getKey())))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    /** The largest file of any type. */
    public static final long LARGEST = MAX_BYTES.values().stream().mapToLong(Long::longValue).max().orElseThrow();

    private MediaTypes() {}

    /** Whether messages of this type carry media. */
    public static boolean isMedia(String messageType) {
        return MIME_TYPES.containsKey(messageType);
    }

    /** A Content-Type as sent ({@code Audio/OGG; codecs=opus}) as the bare, lower-case MIME type. */
    public static String bare(String contentType) {
        if (contentType == null) return "";
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The message type a MIME type is sent as, if WhatsApp supports it. */
    public static Optional<String> messageTypeOf(String mimeType) {
        return Optional.ofNullable(TYPE_OF_MIME.get(bare(mimeType)));
    }

    /** The MIME types a message type takes, sorted, for error messages. */
    public static String mimeTypes(String messageType) {
        return String.join(", ", MIME_TYPES.get(messageType).stream().sorted().toList());
    }

    /** Every supported MIME type, sorted, for error messages. */
    public static String allMimeTypes() {
        return String.join(", ", TYPE_OF_MIME.keySet().stream().sorted().toList());
    }

    /**
     * The largest file of the type, given its first bytes: a sticker may be 500 KiB only when its WebP header says
     * it is animated (a VP8X chunk with the animation flag), else 100 KiB.
     */
    public static long maxBytes(String messageType, byte[] head) {
        if (messageType.equals("sticker") && !animatedWebp(head)) return STATIC_STICKER_BYTES;
        return MAX_BYTES.get(messageType);
    }

    /** The largest file of the type. */
    public static long maxBytes(String messageType) {
        return MAX_BYTES.get(messageType);
    }

    /** RIFF....WEBPVP8X, then the flags byte, whose bit 1 is "animation" (Google's WebP container spec). */
    static boolean animatedWebp(byte[] head) {
        return head.length > 20 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBPVP8X") && (head[20] & 0x02) != 0;
    }

    private static boolean ascii(byte[] bytes, int at, String text) {
        for (int i = 0; i < text.length(); i++) if (bytes[at + i] != text.charAt(i)) return false;
        return true;
    }
}
