package io.switchboard.engine.media;

/**
 * An upload that would take a project's stored media past its quota: the API answers 507 naming the field and the
 * quota. Nothing of it stays stored.
 */
public final class MediaQuotaExceeded extends RuntimeException {
    private final String field;

    public MediaQuotaExceeded(String field, long quotaBytes, long usedBytes) {
        super("the project's media take " + usedBytes + " bytes of its quota of " + quotaBytes
                + "; this file does not fit (media are kept " + MediaLibrary.KEPT.toDays() + " days, or delete some)",
                null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
