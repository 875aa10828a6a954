package io.switchboard.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A vault with a current master key and previous ones: what each seals, opens and rewraps. */
class VaultRotationTest {
    private static final String OWNER = "webhook:p1";
    private final byte[] keyA = Base64.getDecoder().decode(Vault.newMasterKey());
    private final byte[] keyB = Base64.getDecoder().decode(Vault.newMasterKey());
    private final Vault onlyA = Vault.of(keyA);
    private final Vault bThenA = Vault.of(keyB, List.of(keyA));
    private final Vault onlyB = Vault.of(keyB);

    @Test
    void aValueSealedUnderAOpensWithBCurrentAndAPrevious() {
        byte[] secret = onlyA.sealSecret(OWNER, "whsec_1");
        byte[] wrapped = onlyA.newWrappedDataKey("+919800000001");
        byte[] body = onlyA.unwrap("+919800000001", wrapped).seal(42L, "hello");

        assertThat(bThenA.openSecret(OWNER, secret)).isEqualTo("whsec_1");
        assertThat(bThenA.unwrap("+919800000001", wrapped).open(42L, body)).isEqualTo("hello");
        assertThatThrownBy(() -> onlyB.openSecret(OWNER, secret))
                .hasMessageContaining("sealed under master key " + onlyA.currentKeyId());
    }

    @Test
    void everyValueNamesTheKeyThatSealedIt() {
        byte[] sealed = bThenA.sealSecret(OWNER, "whsec_2");

        assertThat(sealed[0]).as("keyed form").isEqualTo((byte) 2);
        assertThat(java.util.HexFormat.of().formatHex(sealed, 1, 5)).isEqualTo(onlyB.currentKeyId());
        assertThat(onlyB.openSecret(OWNER, sealed)).as("new values need only the current key").isEqualTo("whsec_2");
        assertThatThrownBy(() -> onlyA.openSecret(OWNER, sealed)).hasMessageContaining(onlyB.currentKeyId());
    }

    @Test
    void aRewrapMovesAValueToTheCurrentKeyAndLeavesOneAlreadyThere() {
        byte[] underA = onlyA.sealSecret(OWNER, "whsec_3");
        byte[] underB = bThenA.rewrapSecret(OWNER, underA).orElseThrow();

        assertThat(onlyB.openSecret(OWNER, underB)).isEqualTo("whsec_3");
        assertThat(bThenA.rewrapSecret(OWNER, underB)).as("already under B: nothing to do").isEmpty();
        byte[] wrapped = onlyA.newWrappedDataKey("+919800000001");
        byte[] body = onlyA.unwrap("+919800000001", wrapped).seal(7L, "kept");
        byte[] rewrapped = bThenA.rewrapDataKey("+919800000001", wrapped).orElseThrow();
        assertThat(onlyB.unwrap("+919800000001", rewrapped).open(7L, body)).as("the same data key, rewrapped")
                .isEqualTo("kept");
    }

    @Test
    void theKeyCheckAcceptsAPreviousKeyUntilItIsRewrapped() {
        String check = onlyA.keyCheck();
        assertThat(bThenA.matches(check)).isTrue();
        assertThat(onlyB.matches(check)).isFalse();

        String rewritten = Base64.getEncoder().encodeToString(
                bThenA.rewrapKeyCheck(Base64.getDecoder().decode(check)).orElseThrow());
        assertThat(onlyB.matches(rewritten)).isTrue();
        assertThat(onlyA.matches(rewritten)).isFalse();
    }

    @Test
    void aLegacyValueWithNoKeyIdStillOpensAndIsRewrapped() {
        byte[] legacy = LegacySeals.secret(keyA, OWNER, "whsec_old");
        byte[] dataKey = new byte[32];
        Arrays.fill(dataKey, (byte) 9);
        byte[] legacyWrapped = LegacySeals.dataKey(keyA, "+919800000001", dataKey);

        assertThat(onlyA.openSecret(OWNER, legacy)).isEqualTo("whsec_old");
        assertThat(bThenA.openSecret(OWNER, legacy)).as("legacy, under a previous key").isEqualTo("whsec_old");
        byte[] rewrapped = bThenA.rewrapSecret(OWNER, legacy).orElseThrow();
        assertThat(onlyB.openSecret(OWNER, rewrapped)).isEqualTo("whsec_old");
        byte[] body = bThenA.unwrap("+919800000001", legacyWrapped).seal(1L, "x");
        assertThat(onlyB.unwrap("+919800000001", bThenA.rewrapDataKey("+919800000001", legacyWrapped).orElseThrow())
                .open(1L, body)).isEqualTo("x");
        assertThatThrownBy(() -> onlyB.openSecret(OWNER, legacy)).hasMessageContaining("a master key of before key ids");
    }

    @Test
    void aSecretIsStillBoundToItsOwner() {
        byte[] sealed = bThenA.sealSecret(OWNER, "whsec_4");
        assertThatThrownBy(() -> bThenA.openSecret("webhook:p2", sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bThenA.rewrapSecret("webhook:p2", onlyA.sealSecret(OWNER, "x")))
                .isInstanceOf(IllegalStateException.class);
    }
}
