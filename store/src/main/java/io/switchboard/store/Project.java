package io.switchboard.store;

/** A customer's project: its numbers, its token, and where its Webhook and Event Webhook calls go. */
public record Project(String id, String name, String webhookUrl, String eventWebhookUrl, boolean eventsEnabled,
                      long createdAt) {

    /** Whether status events should be written for the Event Webhook at all. */
    public boolean wantsEvents() {
        return eventsEnabled && eventWebhookUrl != null && !eventWebhookUrl.isEmpty();
    }
}
