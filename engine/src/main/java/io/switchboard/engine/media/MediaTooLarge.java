package io.switchboard.engine.media;

/** A media file larger than WhatsApp takes for its type: the API answers 413 naming the field and the limit. */
public final class MediaTooLarge extends RuntimeException {
    private final String field;

    public MediaTooLarge(String field, String messageType, String mimeType, long limit) {
        super(field + " is larger than " + limit + " bytes, the limit for " + messageType + " media (" + mimeType + ")",
                null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
