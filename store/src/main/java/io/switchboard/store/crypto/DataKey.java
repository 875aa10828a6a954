package io.switchboard.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * A number's unwrapped data key: seals and opens message bodies, each bound to its message id, a message's callback
 * value, bound to its id too, and media chunks, each bound to its media id and place.
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

    private String openText(byte[] sealed, byte[] boundTo, String what, long messageId) {
        try {
            return new String(aead.open(sealed, boundTo), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(what + messageId + " does not open: it was altered or moved", e);
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

    private static byte[] idBytes(long messageId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(messageId).array();
    }
}
