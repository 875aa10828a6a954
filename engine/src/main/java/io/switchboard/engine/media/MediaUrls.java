package io.switchboard.engine.media;

import io.switchboard.store.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring URLs of media on the node ({@code /v1/media/{id}?expires=...&signature=...}), handed to the
 * Webhook with an incoming media message so the customer's server fetches the file without a token, as Meta hands
 * over a short-lived media URL. The signature is HMAC-SHA256 over the id and the expiry (seconds) with a key every
 * node of a cluster shares, so any node serves the URL; a changed id or expiry no longer matches.
 */
public final class MediaUrls {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final Supplier<String> base;
    private final Duration valid;
    private final Clock clock;

    /** What a presented URL came to. */
    public enum Check { VALID, EXPIRED, INVALID }

    /** {@code base}: the node's address as the customer's server reaches it, such as {@code https://sb.example.com}. */
    public MediaUrls(byte[] key, Supplier<String> base, Duration valid, Clock clock) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.base = base;
        this.valid = valid;
        this.clock = clock;
    }

    public String url(long mediaId) {
        long expires = clock.millis() / 1_000 + valid.toSeconds();
        String id = Ids.format(mediaId);
        return tokenUrl(mediaId) + "?expires=" + expires + "&signature=" + sign(id, expires);
    }

    /** The media's URL without a signature: it downloads with its project's token, as Meta's media URLs do. */
    public String tokenUrl(long mediaId) {
        return base.get() + "/v1/media/" + Ids.format(mediaId);
    }

    public Check check(String id, String expires, String signature) {
        long at;
        try {
            at = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        byte[] expected = sign(id, at).getBytes(StandardCharsets.US_ASCII);
        if (signature == null || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return at * 1_000 > clock.millis() ? Check.VALID : Check.EXPIRED;
    }

    private String sign(String id, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] tag = mac.doFinal((id + "." + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
        }
    }
}
