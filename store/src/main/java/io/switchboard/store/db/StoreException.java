package io.switchboard.store.db;

/** A database call that failed; the caller answers 503 or retries, and nothing half-done stays behind. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
