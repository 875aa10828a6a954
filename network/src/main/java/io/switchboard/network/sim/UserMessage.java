package io.switchboard.network.sim;

/** A message as the simulated user received it. */
public record UserMessage(long messageId, String networkMessageId, String from, String type, String payload,
                          long atMillis) {}
