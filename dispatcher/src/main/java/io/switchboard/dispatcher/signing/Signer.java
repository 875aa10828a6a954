package io.switchboard.dispatcher.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies so a receiver can tell they came from us and were not changed on the way: the Standard
 * Webhooks {@code webhook-signature} header, and Meta's {@code X-Hub-Signature-256} so bots written for the Cloud
 * API verify our calls with the code they already have. Signatures are computed over the raw body bytes as sent:
 * a String round trip could change them (a charset, a normalisation) and the receiver would reject a good call.
 *
 * <p>Immutable and thread-safe: the keys never change after construction and each signature takes its own
 * {@link Mac}, which is not thread-safe itself.
 */
public final class Signer {
    private static final String PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 24;
    private static final int MAX_KEY_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The decoded Standard Webhooks keys, newest first: during a rotation the receiver may hold either. */
    private final List<SecretKeySpec> keys;
    /** Meta signs with the app secret's text itself, so the newest secret as the customer pasted it. */
    private final SecretKeySpec hubKey;

    /**
     * @param secrets one {@code whsec_} secret, or two while rotating: the new one first, then the old one, so
     *                receivers can switch at their own pace
     * @throws IllegalArgumentException when there are not one or two secrets or one is not a valid secret; the
     *                                  message says which one but never shows it, as it may end up in a log
     */
    public Signer(List<String> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("a signer takes 1 or 2 secrets, not " + secrets.size());
        }
        List<SecretKeySpec> decoded = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (!isValidSecret(secret)) {
                throw new IllegalArgumentException("secret " + (i + 1) + " of " + secrets.size() + " is not \""
                        + PREFIX + "\" followed by the base64 of " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes");
            }
            decoded.add(new SecretKeySpec(decode(secret), HMAC));
        }
        this.keys = List.copyOf(decoded);
        this.hubKey = new SecretKeySpec(secrets.getFirst().getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** A fresh secret of 32 random bytes (256 bits, the size of the HMAC-SHA256 output), in the Standard Webhooks form. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether {@code secret} is {@code whsec_} and the standard base64 of 24 to 64 bytes: shorter keys are too weak. */
    public static boolean isValidSecret(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) return false;
        try {
            int length = decode(secret).length;
            return length >= MIN_KEY_BYTES && length <= MAX_KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The Standard Webhooks {@code webhook-signature} value: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}
     * for each secret, newest first, separated by one space (receivers accept the call when any one matches).
     *
     * @param id               the {@code webhook-id} header, the same for every retry of one call
     * @param timestampSeconds the {@code webhook-timestamp} header, epoch seconds of this attempt
     * @param body             the body exactly as it is sent
     */
    public String standardSignature(String id, long timestampSeconds, byte[] body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        byte[] signed = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(keys.size() * 48);
        for (SecretKeySpec key : keys) {
            if (!header.isEmpty()) header.append(' ');
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key, signed, body)));
        }
        return header.toString();
    }

    /** Meta's {@code X-Hub-Signature-256} value: {@code sha256=<lowercase hex HMAC-SHA256 of the body>}, newest secret only. */
    public String hubSignature(byte[] body) {
        return hubSignature(hubKey, body);
    }

    /** The same keyed by any secret: Meta signs the webhooks it sends with the app's secret. */
    public static String hubSignature(String secret, byte[] body) {
        return hubSignature(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC), body);
    }

    private static String hubSignature(SecretKeySpec key, byte[] body) {
        Objects.requireNonNull(body, "body");
        return "sha256=" + HexFormat.of().formatHex(hmac(key, body));
    }

    @Override
    public String toString() {
        return "Signer[" + keys.size() + (keys.size() == 1 ? " secret]" : " secrets]");
    }

    private static byte[] decode(String secret) {
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    private static byte[] hmac(SecretKeySpec key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (byte[] part : parts) mac.update(part);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is in every Java platform and any key length is valid for it.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
