package io.switchboard.network.sim;

/**
 * A message as the simulated user received it: its type, the JSON object of that type, and {@code context}, the id of
 * the message it replies to ("" when none).
 */
public record UserMessage(long messageId, String networkMessageId, String from, String type, String payload,
                          long atMillis, String context) {}
