package io.switchboard.store;

/**
 * A user a number heard from: the profile name of their last message, sealed under the number's data key and bound
 * to the user's number (null when the network gave none), and when that message was sent (epoch ms).
 */
public record Contact(String number, String user, byte[] sealedName, long lastSeen) {
    /** What a profile name is sealed to: the digits of the user's number, which identify the contact. */
    public static long sealedTo(String user) {
        return Long.parseLong(user.substring(1));
    }
}
