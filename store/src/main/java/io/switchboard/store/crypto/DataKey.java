package io.switchboard.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * A number's unwrapped data key: seals and opens message bodies, each bound to its message id, a message's callback
 * value and its origin, bound to its id too, media chunks, each bound to its media id and place, and contacts' profile names, each
 * bound to the number and the user.
 */
public final class DataKey {
    private final Aead aead;

    DataKey(Aead aead) {
        this.aead = aead;
    }

    public byte[] seal(long messageId, String body) {
        return aead.seal(body.getBytes(StandardCharsets.UTF_8), idBytes(messageId));
    }

    public String open(long messageId, byte[] sealed) {
        return openText(sealed, idBytes(messageId), "the body of message ", messageId);
    }

    public byte[] sealCallback(long messageId, String callback) {
        return aead.seal(callback.getBytes(StandardCharsets.UTF_8), callbackBytes(messageId));
    }

    public String openCallback(long messageId, byte[] sealed) {
        return openText(sealed, callbackBytes(messageId), "the callback of message ", messageId);
    }

    public byte[] sealOrigin(long messageId, String origin) {
        return aead.seal(origin.getBytes(StandardCharsets.UTF_8), originBytes(messageId));
    }

    public String openOrigin(long messageId, byte[] sealed) {
        return openText(sealed, originBytes(messageId), "the origin of message ", messageId);
    }

    private String openText(byte[] sealed, byte[] boundTo, String what, Object whose) {
        try {
            return new String(aead.open(sealed, boundTo), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(what + whose + " does not open: it was altered or moved", e);
        }
    }

    public byte[] sealContactName(String number, String user, String name) {
        return aead.seal(name.getBytes(StandardCharsets.UTF_8), contactBytes(number, user));
    }

    /**
     * Names sealed before contacts had their own domain were bound like a message body, to the user's digits as a
     * message id; they still open that way (each is sealed anew at the user's next message). That old domain never
     * meets a real message's: a message id is a TSID (milliseconds since 2020 shifted left 22 bits), above 10^15 for
     * any made after January 3, 2020, and a user's E.164 digits (15 at most) stay below 10^15.
     */
    public String openContactName(String number, String user, byte[] sealed) {
        try {
            return new String(aead.open(sealed, contactBytes(number, user)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return openText(sealed, idBytes(Long.parseLong(user.substring(1))), "the profile name of contact ", user);
        }
    }

    public byte[] sealChunk(long mediaId, int seq, byte[] bytes) {
        return aead.seal(bytes, chunkBytes(mediaId, seq));
    }

    public byte[] openChunk(long mediaId, int seq, byte[] sealed) {
        try {
            return aead.open(sealed, chunkBytes(mediaId, seq));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("chunk " + seq + " of media " + mediaId + " does not open: it was altered or moved", e);
        }
    }

    /** Unlike a message body's: a tag byte first, so a chunk never opens as a body of the same id. */
    private static byte[] chunkBytes(long mediaId, int seq) {
        return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES).put((byte) 'm').putLong(mediaId).putInt(seq).array();
    }

    /** A tag byte first, so a callback never opens as the body of its message, nor the body as its callback. */
    private static byte[] callbackBytes(long messageId) {
        return ByteBuffer.allocate(1 + Long.BYTES).put((byte) 'c').putLong(messageId).array();
    }

    /** Its own tag byte, so an origin never opens as the body or the callback of its message, nor they as it. */
    private static byte[] originBytes(long messageId) {
        return ByteBuffer.allocate(1 + Long.BYTES).put((byte) 'o').putLong(messageId).array();
    }

    /** Text, unlike the fixed-size ids of the other domains, so a name never opens as a body, callback or chunk. */
    private static byte[] contactBytes(String number, String user) {
        return ("contact:" + number + ":" + user).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] idBytes(long messageId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(messageId).array();
    }
}
