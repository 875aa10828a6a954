package io.switchboard.app.testing;

import io.switchboard.store.crypto.Digests;
import io.switchboard.store.crypto.Vault;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A request signed as a node of the cluster signs what it passes on to another ({@code Switchboard-Signature}, as the
 * README documents it), with the store's key opened as a node opens it: for tests that stand in for a node.
 */
public final class ClusterSignatures {
    private ClusterSignatures() {}

    /** The store's key for calls between nodes (made by the first node that started on it). */
    public static byte[] key(Connection store, Vault vault) throws Exception {
        try (PreparedStatement query = store.prepareStatement("SELECT val FROM settings WHERE name = 'cluster_calls_key'");
             ResultSet row = query.executeQuery()) {
            if (!row.next()) throw new IllegalStateException("no node has started on this store yet");
            return Base64.getDecoder().decode(vault.openSecret("cluster-calls-key", Base64.getDecoder().decode(row.getString(1))));
        }
    }

    /** The header's value now; {@code project} and {@code shards} may be null (signed as empty). */
    public static String sign(byte[] key, String method, String path, String node, String project, String shards,
                              byte[] body) throws Exception {
        long at = System.currentTimeMillis() / 1000;
        String signed = String.join("\n", Long.toString(at), method, path, node, project == null ? "" : project,
                shards == null ? "" : shards, HexFormat.of().formatHex(Digests.sha256(body)));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return "t=" + at + ",v1=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
