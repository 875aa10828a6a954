package io.switchboard.engine;

import io.switchboard.store.EventRecord;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.Project;

/**
 * Where the engine hands what the customer's server must hear about, once it is durably stored: incoming messages
 * for the Webhook and status events for the Event Webhook. The dispatcher implements it.
 */
public interface Deliveries {
    /** {@code payload}: the message's content, opened; {@code origin}: its origin (JSON), opened, or null. */
    void incoming(Project project, MessageRecord message, String payload, String origin);

    /** An event of a message of the number's {@code shard}. */
    void event(Project project, EventRecord event, int shard);

    /**
     * The number's shard starts on this node: the store may owe calls for it from before (a restart, a takeover).
     * Called before the shard stores anything.
     */
    void shardStarted(String projectId, String number, int shard);

    /** The number's shard stopped on this node: whoever runs it next reads what the store owes for it. */
    void shardStopped(String projectId, String number, int shard);

    /** For an engine that runs without a dispatcher (tools and tests of the engine alone). */
    Deliveries NONE = new Deliveries() {
        @Override
        public void incoming(Project project, MessageRecord message, String payload, String origin) {}

        @Override
        public void event(Project project, EventRecord event, int shard) {}

        @Override
        public void shardStarted(String projectId, String number, int shard) {}

        @Override
        public void shardStopped(String projectId, String number, int shard) {}
    };
}
