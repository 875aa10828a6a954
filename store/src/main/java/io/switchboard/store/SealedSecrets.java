package io.switchboard.store;

/**
 * A project's webhook signing secrets as stored: sealed under the master key. {@code previous} (nullable) was
 * replaced by a rotation and still signs until {@code previousUntil} (epoch ms), so receivers can switch calmly.
 */
public record SealedSecrets(byte[] current, byte[] previous, long previousUntil) {
    /** What a project's signing secrets are bound to, so one cannot be swapped for another project's. */
    public static String owner(String projectId) {
        return "webhook:" + projectId;
    }
}
