package io.switchboard.store;

/**
 * A message template of a project's, as Meta's message_templates route describes one: its {@code name} and
 * {@code language} (unique together), {@code category} (MARKETING, UTILITY or AUTHENTICATION), {@code status}
 * (APPROVED, PENDING, REJECTED, PAUSED or DISABLED) and its {@code components} as JSON, as they were created.
 */
public record MessageTemplate(long id, String projectId, String name, String language, String category, String status,
                              String components, long createdAt) {
    public static final String APPROVED = "APPROVED";

    public boolean approved() {
        return APPROVED.equals(status);
    }
}
