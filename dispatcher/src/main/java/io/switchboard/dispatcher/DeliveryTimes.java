package io.switchboard.dispatcher;

/**
 * Hears how long each delivered call took from the moment what it carries was stored to the customer's 2xx: an
 * incoming message's Webhook call, or each event of an Event Webhook batch. The metrics implement it; the
 * dispatcher calls it on the thread that made the call, so an implementation must be quick and thread-safe.
 */
public interface DeliveryTimes {
    enum Kind {
        WEBHOOK("webhook"), EVENT_WEBHOOK("event_webhook");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    void delivered(String projectId, Kind kind, long storedAtMillis, long deliveredAtMillis);

    DeliveryTimes NONE = (projectId, kind, storedAtMillis, deliveredAtMillis) -> {};
}
