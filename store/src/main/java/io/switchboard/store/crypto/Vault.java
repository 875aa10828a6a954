package io.switchboard.store.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * Holds the master key, which only wraps and unwraps the per-number data keys (envelope encryption): message
 * bodies are sealed with a data key, and a stolen database without the master key reads as noise.
 */
public final class Vault {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    private final Aead master;

    private Vault(byte[] masterKey) {
        if (masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("master key: must be " + KEY_BYTES + " bytes (base64 of 32 random bytes), got "
                    + masterKey.length);
        }
        this.master = new Aead(new SecretKeySpec(masterKey, "AES"));
    }

    public static Vault of(byte[] masterKey) {
        return new Vault(masterKey);
    }

    /** A master key given as base64 (from configuration). */
    public static Vault ofBase64(String masterKey) {
        try {
            return new Vault(Base64.getDecoder().decode(masterKey.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master key: " + e.getMessage(), e);
        }
    }

    /** The key file's master key, made (readable by its owner only) if the file does not exist yet. */
    public static Vault fromKeyFile(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                byte[] key = new byte[KEY_BYTES];
                RANDOM.nextBytes(key);
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                Path temporary = keyFile.resolveSibling(keyFile.getFileName() + ".new");
                Files.deleteIfExists(temporary); // left by a start that died half way
                // Made owner-only before a byte of the key is in it; where there are no POSIX permissions (Windows)
                // the folder's own access rights protect it.
                if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n");
                Files.move(temporary, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return ofBase64(Files.readString(keyFile));
        } catch (IOException e) {
            throw new UncheckedIOException("master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** A fresh data key for a number, wrapped under the master key; only the wrapped form is stored. */
    public byte[] newWrappedDataKey(String number) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return master.seal(key, number.getBytes(StandardCharsets.UTF_8));
    }

    public DataKey unwrap(String number, byte[] wrappedKey) {
        try {
            byte[] key = master.open(wrappedKey, number.getBytes(StandardCharsets.UTF_8));
            return new DataKey(new Aead(new SecretKeySpec(key, "AES")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the data key of " + number
                    + " does not open with this master key: the store was made with another one", e);
        }
    }

    /** Seals a secret that must be read back (a webhook signing secret), bound to what it belongs to. */
    public byte[] sealSecret(String owner, String secret) {
        return master.seal(secret.getBytes(StandardCharsets.UTF_8), ("secret:" + owner).getBytes(StandardCharsets.UTF_8));
    }

    public String openSecret(String owner, byte[] sealed) {
        try {
            return new String(master.open(sealed, ("secret:" + owner).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the secret of " + owner + " does not open with this master key", e);
        }
    }

    /** A value to keep beside the data that proves, at the next start, that the master key is the same. */
    public String keyCheck() {
        return Base64.getEncoder().encodeToString(master.seal(new byte[16], "key-check".getBytes(StandardCharsets.UTF_8)));
    }

    public boolean matches(String keyCheck) {
        try {
            master.open(Base64.getDecoder().decode(keyCheck), "key-check".getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
