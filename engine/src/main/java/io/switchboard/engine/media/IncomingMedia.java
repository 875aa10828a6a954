package io.switchboard.engine.media;

/**
 * Takes in the file of an incoming media message before the message is stored: answers the object to store and
 * hand to the Webhook in place of the network's.
 */
@FunctionalInterface
public interface IncomingMedia {
    String receive(String projectId, String number, String messageType, String payload);
}
