package io.switchboard.app.keys;

import io.switchboard.app.config.NodeConfig;
import io.switchboard.store.Settings;
import io.switchboard.store.crypto.Vault;
import java.nio.file.Path;

/** The master keys a node or a {@code keys} command is given, checked against the store they are for. */
public final class MasterKeys {
    private MasterKeys() {}

    /** The data folder's master key file (made at the first start when no master key is configured). */
    public static Path keyFile(NodeConfig config) {
        return config.store().data().resolve("master.key");
    }

    /**
     * The keys from configuration ({@code master-key}, {@code master-keys-previous}), else the key files in the data
     * folder; refused when none of them opens the store's key check (made under the current key in a new store).
     */
    public static Vault open(NodeConfig config, Settings settings) {
        NodeConfig.Secrets secrets = config.secrets();
        Vault vault = secrets.masterKey() != null ? Vault.ofBase64(secrets.masterKey(), secrets.previousMasterKeys())
                : Vault.fromKeyFile(keyFile(config));
        String check = settings.putIfAbsent(Settings.MASTER_KEY_CHECK, vault.keyCheck());
        if (!vault.matches(check)) {
            throw new IllegalStateException("master key: this store was encrypted with another master key; give the one "
                    + "it was made with (SWITCHBOARD_MASTER_KEY or DATA/master.key), and during a rotation the one it "
                    + "replaced as previous (SWITCHBOARD_MASTER_KEYS_PREVIOUS or DATA/master.key.previous)");
        }
        return vault;
    }
}
