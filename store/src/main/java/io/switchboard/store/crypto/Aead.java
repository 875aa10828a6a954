package io.switchboard.store.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per seal. Sealed form: version byte, nonce, ciphertext with tag. The
 * associated data binds a ciphertext to its row, so a body copied onto another message does not open.
 */
final class Aead {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    // Cipher objects are not thread-safe and costly to make (a provider look-up each). Requests run on virtual
    // threads, a new one each, so a ThreadLocal would make one per request: a shared pool reuses them instead.
    private static final ConcurrentLinkedQueue<Cipher> CIPHERS = new ConcurrentLinkedQueue<>();

    private final SecretKey key;

    Aead(SecretKey key) {
        this.key = key;
    }

    byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Cipher cipher = borrow();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            ByteBuffer sealed = ByteBuffer.allocate(1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length));
            sealed.put(VERSION).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plaintext), sealed);
            return sealed.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        } finally {
            CIPHERS.offer(cipher);
        }
    }

    byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.length < 1 + NONCE_BYTES || sealed[0] != VERSION) {
            throw new GeneralSecurityException("not a sealed value of version " + VERSION);
        }
        Cipher cipher = borrow();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } finally {
            CIPHERS.offer(cipher);
        }
    }

    private static Cipher borrow() {
        Cipher cipher = CIPHERS.poll();
        if (cipher != null) return cipher;
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM", e);
        }
    }
}
