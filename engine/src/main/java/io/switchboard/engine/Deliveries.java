package io.switchboard.engine;

import io.switchboard.store.EventRecord;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Project;

/**
 * Where the engine hands what the customer's server must hear about, once it is durably stored: incoming messages
 * for the Webhook and status events for the Event Webhook. The dispatcher implements it.
 */
public interface Deliveries {
    void incoming(Project project, MessageRecord message, String payload);

    void event(Project project, EventRecord event);

    /** For an engine that runs without a dispatcher (tools and tests of the engine alone). */
    Deliveries NONE = new Deliveries() {
        @Override
        public void incoming(Project project, MessageRecord message, String payload) {}

        @Override
        public void event(Project project, EventRecord event) {}
    };
}
