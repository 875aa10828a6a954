package io.switchboard.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** A number's unwrapped data key: seals and opens message bodies, each bound to its message id. */
public final class DataKey {
    private final Aead aead;

    DataKey(Aead aead) {
        this.aead = aead;
    }

    public byte[] seal(long messageId, String body) {
        return aead.seal(body.getBytes(StandardCharsets.UTF_8), idBytes(messageId));
    }

    public String open(long messageId, byte[] sealed) {
        try {
            return new String(aead.open(sealed, idBytes(messageId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the body of message " + messageId + " does not open: it was altered or moved", e);
        }
    }

    private static byte[] idBytes(long messageId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(messageId).array();
    }
}
