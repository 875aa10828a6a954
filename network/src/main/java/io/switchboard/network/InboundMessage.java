package io.switchboard.network;

/** A message a user sent to one of our numbers; {@code payload} is the JSON content of {@code type}. */
public record InboundMessage(String networkId, String from, String profileName, String type, String payload, long atMillis) {}
