package io.switchboard.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;

/**
 * Holds the master keys, which wrap and unwrap the per-number data keys (envelope encryption: message bodies are
 * sealed with a data key, and a stolen database without a master key reads as noise) and seal the secrets the node
 * must read back. The current key seals everything new; previous keys, during a rotation, only open. A value is
 * sealed as: {@code KEYED}, the key's 4-byte id ({@link MasterKey}), then the AEAD output, so a rewrap knows what is
 * left under an old key.
 */
public final class Vault {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The first byte of a value sealed under a named key. Values sealed before key ids begin with the AEAD's own
     * version byte, 1, and never with this one: a legacy value is never read as a keyed one, and a keyed value whose
     * id is unknown fails the legacy attempt at its first byte.
     */
    private static final byte KEYED = 2;
    private static final int PREFIX_BYTES = 1 + MasterKey.ID_BYTES;
    private static final byte[] KEY_CHECK = bytes("key-check");

    private final MasterKey current;
    /** The current key first, then the previous ones. */
    private final List<MasterKey> keys;

    private Vault(byte[] current, List<byte[]> previous) {
        this.current = new MasterKey(current);
        this.keys = new ArrayList<>(List.of(this.current));
        for (byte[] key : previous) {
            MasterKey old = new MasterKey(key);
            if (keys.stream().anyMatch(known -> Arrays.equals(known.id(), old.id()))) continue; // the same key twice
            keys.add(old);
        }
    }

    public static Vault of(byte[] masterKey) {
        return of(masterKey, List.of());
    }

    /** {@code current} seals and opens; each of {@code previous} only opens. */
    public static Vault of(byte[] current, List<byte[]> previous) {
        return new Vault(current, previous);
    }

    /** A master key given as base64 (from configuration). */
    public static Vault ofBase64(String masterKey) {
        return ofBase64(masterKey, List.of());
    }

    public static Vault ofBase64(String current, List<String> previous) {
        return of(decode(current), previous.stream().map(Vault::decode).toList());
    }

    /** The key file's master key (made if there is none yet), and the previous keys kept beside it. */
    public static Vault fromKeyFile(Path keyFile) {
        try {
            return ofBase64(KeyFiles.current(keyFile), KeyFiles.previous(keyFile));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", in " + keyFile + " or "
                    + KeyFiles.previousFile(keyFile).getFileName(), e);
        }
    }

    /** A new random master key, as base64. */
    public static String newMasterKey() {
        byte[] key = new byte[MasterKey.BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // Not the decoder's message: it shows a character of the key.
            throw new IllegalArgumentException("master key: not base64 (it must be base64 of 32 random bytes)");
        }
    }

    /** The current key's id, as 8 hex digits (not secret). */
    public String currentKeyId() {
        return current.name();
    }

    /** A fresh data key for a number, wrapped under the master key; only the wrapped form is stored. */
    public byte[] newWrappedDataKey(String number) {
        byte[] key = new byte[MasterKey.BYTES];
        RANDOM.nextBytes(key);
        return seal(key, bytes(number));
    }

    public DataKey unwrap(String number, byte[] wrappedKey) {
        byte[] key = open(wrappedKey, bytes(number), "the data key of " + number);
        return new DataKey(new Aead(new SecretKeySpec(key, "AES")));
    }

    /** The data key wrapped under the current master key; empty when it already is. */
    public Optional<byte[]> rewrapDataKey(String number, byte[] wrappedKey) {
        return rewrap(wrappedKey, bytes(number), "the data key of " + number);
    }

    /** Seals a secret that must be read back (a webhook signing secret), bound to what it belongs to. */
    public byte[] sealSecret(String owner, String secret) {
        return seal(bytes(secret), bytes("secret:" + owner));
    }

    public String openSecret(String owner, byte[] sealed) {
        return new String(open(sealed, bytes("secret:" + owner), "the secret of " + owner), StandardCharsets.UTF_8);
    }

    /** The secret sealed under the current master key; empty when it already is. */
    public Optional<byte[]> rewrapSecret(String owner, byte[] sealed) {
        return rewrap(sealed, bytes("secret:" + owner), "the secret of " + owner);
    }

    /** A value to keep beside the data that proves, at the next start, that the master key is the same. */
    public String keyCheck() {
        return Base64.getEncoder().encodeToString(seal(new byte[16], KEY_CHECK));
    }

    /** Whether the check opens with one of the keys: the current one, or a previous one during a rotation. */
    public boolean matches(String keyCheck) {
        try {
            open(Base64.getDecoder().decode(keyCheck), KEY_CHECK);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The check (decoded from its base64) made again under the current key; empty when it already is. */
    public Optional<byte[]> rewrapKeyCheck(byte[] keyCheck) {
        return rewrap(keyCheck, KEY_CHECK, "the master key check");
    }

    private byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] sealed = current.aead().seal(plaintext, associatedData);
        return ByteBuffer.allocate(PREFIX_BYTES + sealed.length).put(KEYED).put(current.id()).put(sealed).array();
    }

    private byte[] open(byte[] sealed, byte[] associatedData, String what) {
        try {
            return open(sealed, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(what + " does not open with the master keys given (" + names() + "): it was "
                    + "sealed under " + sealer(sealed) + ", or altered", e);
        }
    }

    private byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        Optional<MasterKey> named = keyOf(sealed);
        if (named.isPresent()) {
            return named.get().aead().open(Arrays.copyOfRange(sealed, PREFIX_BYTES, sealed.length), associatedData);
        }
        GeneralSecurityException failed = new GeneralSecurityException("opens with none of the master keys");
        for (MasterKey key : keys) { // sealed before key ids: any of the keys may have sealed it
            try {
                return key.aead().open(sealed, associatedData);
            } catch (GeneralSecurityException e) {
                failed.addSuppressed(e);
            }
        }
        throw failed;
    }

    private Optional<byte[]> rewrap(byte[] sealed, byte[] associatedData, String what) {
        if (keyOf(sealed).filter(current::equals).isPresent()) return Optional.empty();
        return Optional.of(seal(open(sealed, associatedData, what), associatedData));
    }

    private Optional<MasterKey> keyOf(byte[] sealed) {
        if (sealed.length < PREFIX_BYTES || sealed[0] != KEYED) return Optional.empty();
        return keys.stream().filter(key -> key.hasId(sealed, 1)).findFirst();
    }

    private static String sealer(byte[] sealed) {
        return sealed.length >= PREFIX_BYTES && sealed[0] == KEYED
                ? "master key " + HexFormat.of().formatHex(sealed, 1, PREFIX_BYTES) : "a master key of before key ids";
    }

    private String names() {
        return keys.stream().map(MasterKey::name).collect(Collectors.joining(", "));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
