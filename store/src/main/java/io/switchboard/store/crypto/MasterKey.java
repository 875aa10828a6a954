package io.switchboard.store.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;

/**
 * One master key and its id: the first 4 bytes of SHA-256("switchboard master key id" + key). The id is written in
 * front of what the key seals, so the store tells which key sealed a value, and what is left to rewrap after a
 * rotation; it gives nothing of the key away.
 */
final class MasterKey {
    static final int BYTES = 32;
    static final int ID_BYTES = 4;
    private static final byte[] ID_LABEL = "switchboard master key id".getBytes(StandardCharsets.UTF_8);

    private final byte[] id;
    private final Aead aead;

    MasterKey(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("master key: must be " + BYTES + " random bytes (base64 in configuration), got "
                    + key.length);
        }
        this.id = Arrays.copyOf(sha256(ID_LABEL, key), ID_BYTES);
        this.aead = new Aead(new SecretKeySpec(key, "AES"));
    }

    byte[] id() {
        return id.clone();
    }

    boolean hasId(byte[] sealed, int offset) {
        return Arrays.equals(id, 0, ID_BYTES, sealed, offset, offset + ID_BYTES);
    }

    Aead aead() {
        return aead;
    }

    /** The id as shown to people: 8 hex digits. */
    String name() {
        return HexFormat.of().formatHex(id);
    }

    private static byte[] sha256(byte[] label, byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(label);
            return digest.digest(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + name() + "]";
    }
}
