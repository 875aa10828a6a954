package io.switchboard.engine;

/**
 * A reply in a Webhook answer that broke the message rules: kept as a failed message from {@code from} to
 * {@code to}, with its JSON as written and the reason, so the customer hears of it instead of losing it.
 */
public record RejectedReply(String from, String to, String json, String reason) {
}
