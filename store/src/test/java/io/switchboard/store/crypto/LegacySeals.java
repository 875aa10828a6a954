package io.switchboard.store.crypto;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/** Values sealed as before key ids (no key id in front), the way a store made by an older version holds them. */
public final class LegacySeals {
    private LegacySeals() {}

    public static byte[] secret(byte[] masterKey, String owner, String secret) {
        return aead(masterKey).seal(bytes(secret), bytes("secret:" + owner));
    }

    public static byte[] dataKey(byte[] masterKey, String number, byte[] dataKey) {
        return aead(masterKey).seal(dataKey, bytes(number));
    }

    private static Aead aead(byte[] key) {
        return new Aead(new SecretKeySpec(key, "AES"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
