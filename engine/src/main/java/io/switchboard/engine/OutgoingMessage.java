package io.switchboard.engine;

import io.switchboard.store.Priority;

/** A validated message to send: {@code payload} is the JSON object of its {@code type} (for text: {"body":...}). */
public record OutgoingMessage(String from, String to, String type, String payload, Priority priority) {
}
