package io.switchboard.store.db;

/**
 * The store's writer has more work waiting than it takes on: new work is refused at once (the API answers 503 with
 * a {@code Retry-After}) instead of queuing without bound in memory. Nothing of it was written.
 */
public final class StoreBusy extends StoreException {
    public StoreBusy(String message) {
        super(message);
    }
}
