package io.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values checked at start, each error naming its key: a node never runs on a setting it would misread. */
class ConfigLoaderTest {
    @Test
    void aShortAdminTokenIsRefusedAndARandomOneTaken() {
        assertThatThrownBy(() -> new ConfigLoader().set("admin-token", "secret123").load())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("admin-token:")
                .hasMessageContaining("at least 32").hasMessageNotContaining("secret123");
        String random = Tokens.newToken("sba_");
        assertThat(new ConfigLoader().set("admin-token", random).load().secrets().adminToken()).isEqualTo(random);
        assertThat(new ConfigLoader().load().secrets().adminToken()).as("none: the node makes one").isNull();
    }

    @Test
    void theLoadBoundsAreCheckedAndNamed() {
        assertThatThrownBy(() -> new ConfigLoader().set("store.max-queued-writes", 10).load())
                .hasMessageStartingWith("store.max-queued-writes:");
        assertThatThrownBy(() -> new ConfigLoader().set("webhooks.calls-in-memory", 0).load())
                .hasMessageStartingWith("webhooks.calls-in-memory:");
        NodeConfig config = new ConfigLoader().set("api.rate-per-project", 50).set("webhooks.calls-in-memory", 500).load();
        assertThat(config.api().ratePerProject()).isEqualTo(50);
        assertThat(config.webhooks().callsInMemory()).isEqualTo(500);
        assertThat(config.store().maxQueuedWrites()).as("the default").isEqualTo(200_000);
    }

    @Test
    void masterKeysAreCheckedNamedAndNeverShown() {
        String current = Vault.newMasterKey();
        String previous = Vault.newMasterKey();
        String older = Vault.newMasterKey();
        NodeConfig config = new ConfigLoader().environment(Map.of("SWITCHBOARD_MASTER_KEY", current,
                "SWITCHBOARD_MASTER_KEYS_PREVIOUS", previous + ", " + older)).load();
        assertThat(config.secrets().masterKey()).isEqualTo(current);
        assertThat(config.secrets().previousMasterKeys()).containsExactly(previous, older);
        assertThat(config.toString()).doesNotContain(current, previous, older).contains("previousMasterKeys=2");

        assertThatThrownBy(() -> new ConfigLoader().set("master-key", "c2hvcnQ=").load())
                .hasMessageStartingWith("master-key:").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> new ConfigLoader().set("master-key", current)
                .set("master-keys-previous", previous + ",not-a-key").load())
                .hasMessageStartingWith("master-keys-previous (key 2):").hasMessageNotContaining("not-a-key");
        assertThatThrownBy(() -> new ConfigLoader().set("master-keys-previous", previous).load())
                .as("previous keys beside the key file: they belong in DATA/master.key.previous")
                .hasMessageStartingWith("master-keys-previous:").hasMessageContaining("master.key.previous");
        assertThat(new ConfigLoader().load().secrets().previousMasterKeys()).isEmpty();
    }
}
