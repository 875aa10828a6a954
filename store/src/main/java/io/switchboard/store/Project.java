package io.switchboard.store;

/**
 * A customer's project: its numbers, its token, where its Webhook and Event Webhook calls go, and how they are
 * made: the payload format ({@code native} or {@code cloud}), at most {@code webhookConcurrency} calls at once to
 * each endpoint and at most {@code webhookRate} a second (0: the node's default, and no cap). Its messages are kept
 * {@code retentionDays} days (null: the node's {@code retention.days}).
 */
public record Project(String id, String name, String webhookUrl, String eventWebhookUrl, boolean eventsEnabled,
                      String webhookFormat, int webhookConcurrency, int webhookRate, long createdAt,
                      Integer retentionDays) {

    public static final String NATIVE_FORMAT = "native";

    /** A new project with the default delivery settings. */
    public static Project of(String id, String name, String webhookUrl, String eventWebhookUrl, boolean eventsEnabled,
                             long createdAt) {
        return new Project(id, name, webhookUrl, eventWebhookUrl, eventsEnabled, NATIVE_FORMAT, 0, 0, createdAt, null);
    }

    /** Whether status events should be written for the Event Webhook at all. */
    public boolean wantsEvents() {
        return eventsEnabled && eventWebhookUrl != null && !eventWebhookUrl.isEmpty();
    }
}
