package io.switchboard.store;

/**
 * A user a number heard from: the profile name of their last message, sealed under the number's data key and bound
 * to the number and the user (null when the network gave none), and when that message was sent (epoch ms).
 */
public record Contact(String number, String user, byte[] sealedName, long lastSeen) {
}
