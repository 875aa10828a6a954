package io.switchboard.store;

import io.switchboard.store.crypto.Vault;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Keys made once per store and kept in the settings sealed under the master key, so every node of a cluster holds
 * the same ones: the first node to start makes each.
 */
public final class StoreKeys {
    /** Signs the URLs of incoming media. */
    public static final String MEDIA_URLS = "media-url-key";
    /** Signs requests one node of a cluster passes on to another. */
    public static final String CLUSTER_CALLS = "cluster-calls-key";
    static final List<String> ALL = List.of(MEDIA_URLS, CLUSTER_CALLS);

    private StoreKeys() {}

    public static byte[] get(Settings settings, Vault vault, String name) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        String sealed = settings.putIfAbsent(settingName(name), Base64.getEncoder().encodeToString(
                vault.sealSecret(name, Base64.getEncoder().encodeToString(fresh))));
        return Base64.getDecoder().decode(vault.openSecret(name, Base64.getDecoder().decode(sealed)));
    }

    /** The settings row a key is kept in. */
    static String settingName(String name) {
        return name.replace('-', '_');
    }

    /** The key kept in a settings row. */
    static String keyName(String settingName) {
        return settingName.replace('_', '-');
    }
}
