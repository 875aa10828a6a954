package io.switchboard.api;

import io.javalin.http.Context;
import io.switchboard.store.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the nodes of a cluster vouch for the requests they pass on to each other: signed with a key made once per store
 * (sealed under the master key, so only the nodes hold it), over what the request does and for which project. The
 * node that passes a request on has checked the caller's token and scope; the caller's token itself never leaves it.
 * A request that says it was passed on but whose signature does not hold, or is older than {@link #MAX_AGE_SECONDS},
 * is refused with 401.
 */
final class ClusterCalls {
    static final String SIGNATURE = "Switchboard-Signature";
    /** The project a request was passed on for (none for Meta's webhooks, which carry Meta's signature). */
    static final String PROJECT = "Switchboard-Project";
    /** Where a verified project id is kept on the request, for {@link Tenants#project(Context)}. */
    static final String VERIFIED_PROJECT = "switchboard.forwardedProject";
    private static final long MAX_AGE_SECONDS = 30;

    private final byte[] key;
    private final Clock clock;

    ClusterCalls(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    /** The signature header's value for a request this node passes on. */
    String sign(String method, String path, String fromNode, String projectId, String shards, byte[] body) {
        long now = clock.millis() / 1000;
        return "t=" + now + ",v1=" + mac(now, method, path, fromNode, projectId, shards, body);
    }

    /**
     * Checks a request another node says it passed on; 401 unless its signature holds. Keeps the project it was passed
     * on for on the request.
     */
    void verify(Context ctx) {
        String header = ctx.header(SIGNATURE);
        String[] parts = header == null ? new String[0] : header.split(",", 2);
        if (parts.length != 2 || !parts[0].startsWith("t=") || !parts[1].startsWith("v1=")) throw refused();
        long at;
        try {
            at = Long.parseLong(parts[0].substring(2));
        } catch (NumberFormatException e) {
            throw refused();
        }
        if (Math.abs(clock.millis() / 1000 - at) > MAX_AGE_SECONDS) throw refused();
        String projectId = ctx.header(PROJECT);
        String expected = mac(at, ctx.method().name(), ctx.path(), ctx.header(ShardOwners.FORWARDED), projectId,
                ctx.header(ShardOwners.FOR_SHARDS), ctx.bodyAsBytes());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts[1].substring(3).getBytes(StandardCharsets.US_ASCII))) {
            throw refused();
        }
        if (projectId != null) ctx.attribute(VERIFIED_PROJECT, projectId);
    }

    private static ApiError refused() {
        return new ApiError(401, "invalid_forward", "a request passed on by another node must carry a valid "
                + SIGNATURE, SIGNATURE);
    }

    private String mac(long at, String method, String path, String fromNode, String projectId, String shards, byte[] body) {
        // What is absent (the project of a Meta webhook, the shards of a project call) is signed as empty.
        String signed = String.join("\n", Long.toString(at), method, path, Objects.toString(fromNode, ""),
                Objects.toString(projectId, ""), Objects.toString(shards, ""), HexFormat.of().formatHex(Digests.sha256(body)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }
}
