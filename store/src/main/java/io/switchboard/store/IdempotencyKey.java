package io.switchboard.store;

/**
 * A send made with an idempotency key: {@code requestHash} tells a retry (same hash) from a reuse of the key for
 * another request; {@code status} and {@code answer} (the JSON body) are what the first request was answered.
 */
public record IdempotencyKey(String projectId, String key, String requestHash, int status, byte[] answer,
                             long createdAt) {
}
