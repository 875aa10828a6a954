package io.switchboard.network.sim;

/**
 * A message as the simulated user received it: its type, the JSON object of that type, and {@code context}, the id of
 * the message it replies to ("" when none). {@code takenSeq} orders the network's takings of SENDs, so a user's
 * messages can be listed in the order the gateway sent them, whatever order the delivery timers fired in. {@code from} is the
 * business number, or the group's id for a message the user got as a member of a group.
 */
public record UserMessage(long messageId, String networkMessageId, String from, String type, String payload,
                          long atMillis, long takenSeq, String context) {}
